package org.sparselab.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dotted key into a run file's tree: {@code model.units}, {@code sparsifiers[0].k} (or {@code sparsifiers.0.k}),
 * {@code training.optimizer.lr}. Setting a value creates missing map keys (the run file's own validation then
 * decides whether the key exists for that component) but never invents list elements.
 */
public record KeyPath(String text, List<Object> segments) {
    private static final Pattern PART = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

    public static KeyPath parse(String text) {
        List<Object> segs = new ArrayList<>();
        for (String dotted : text.split("\\.", -1)) {
            if (dotted.isEmpty()) {
                throw new IllegalArgumentException("empty segment in key '" + text + "'");
            }
            Matcher m = PART.matcher(dotted);
            int at = 0;
            while (m.find()) {
                if (m.start() != at) {
                    throw new IllegalArgumentException("cannot read key '" + text + "' near '" + dotted.substring(at) + "'");
                }
                if (m.group(1) != null) {
                    String s = m.group(1);
                    segs.add(s.chars().allMatch(Character::isDigit) && !segs.isEmpty() ? (Object) Integer.parseInt(s) : s);
                } else {
                    segs.add(Integer.parseInt(m.group(2)));
                }
                at = m.end();
            }
            if (at != dotted.length()) {
                throw new IllegalArgumentException("cannot read key '" + text + "' near '" + dotted.substring(at) + "'");
            }
        }
        if (segs.isEmpty() || !(segs.get(0) instanceof String)) {
            throw new IllegalArgumentException("key '" + text + "' must start with a name, e.g. model.units");
        }
        return new KeyPath(text, List.copyOf(segs));
    }

    /** Sets the value in place; throws IllegalArgumentException naming the segment that does not exist. */
    public void set(ObjectNode root, JsonNode value) {
        JsonNode node = root;
        StringBuilder walked = new StringBuilder();
        for (int i = 0; i < segments.size(); i++) {
            Object seg = segments.get(i);
            boolean last = i == segments.size() - 1;
            if (seg instanceof String name) {
                if (!(node instanceof ObjectNode obj)) {
                    throw new IllegalArgumentException("'" + walked + "' is not a map of keys, so '" + text + "' cannot be set");
                }
                if (last) {
                    obj.set(name, value);
                    return;
                }
                JsonNode next = obj.get(name);
                if (next == null || next.isNull()) {
                    boolean listNext = segments.get(i + 1) instanceof Integer;
                    if (listNext) {
                        throw new IllegalArgumentException("'" + join(walked, name) + "' does not exist in the base run file, so it has no element "
                                + segments.get(i + 1));
                    }
                    next = obj.putObject(name);
                }
                node = next;
                walked = new StringBuilder(join(walked, name));
            } else {
                int index = (Integer) seg;
                if (!(node instanceof ArrayNode arr)) {
                    throw new IllegalArgumentException("'" + walked + "' is not a list, so '" + text + "' cannot be set");
                }
                if (index >= arr.size()) {
                    throw new IllegalArgumentException("'" + walked + "' has " + arr.size() + " element(s), so it has no [" + index + "]");
                }
                if (last) {
                    arr.set(index, value);
                    return;
                }
                JsonNode el = arr.get(index);
                if (el.isTextual() && segments.get(i + 1) instanceof String) {
                    // a bare id in a list (metrics: [accuracy]) becomes a map so that parameters can be set
                    ObjectNode o = arr.objectNode().put("id", el.asText());
                    arr.set(index, o);
                    el = o;
                }
                node = el;
                walked.append('[').append(index).append(']');
            }
        }
    }

    private static String join(CharSequence a, String b) {
        return a.length() == 0 ? b : a + "." + b;
    }

    @Override
    public String toString() {
        return text;
    }
}
