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
 *
 * @param text the key as written
 * @param segments names (String) and list indices (Integer)
 */
public record KeyPath(String text, List<Object> segments) {
    private static final Pattern PART = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

    /** A key that cannot be read or cannot be set in a tree; the message says which segment and why. */
    public static final class KeyException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        KeyException(String message) {
            super(message);
        }
    }

    public static KeyPath parse(String text) {
        if (text == null || text.isBlank()) {
            throw new KeyException("empty key");
        }
        List<Object> segs = new ArrayList<>();
        for (String dotted : text.split("\\.", -1)) {
            if (dotted.isEmpty()) {
                throw new KeyException("key '" + text + "' has an empty part (two dots, or a dot at an end)");
            }
            Matcher m = PART.matcher(dotted);
            int at = 0;
            while (m.find()) {
                if (m.start() != at) {
                    break;
                }
                if (m.group(1) != null) {
                    String s = m.group(1).strip();
                    // sparsifiers.0.k: a number after a dot is a list index, like [0]
                    segs.add(!segs.isEmpty() && s.chars().allMatch(Character::isDigit) ? (Object) Integer.parseInt(s) : s);
                } else {
                    segs.add(Integer.parseInt(m.group(2)));
                }
                at = m.end();
            }
            if (at != dotted.length()) {
                throw new KeyException("cannot read key '" + text + "' near '" + dotted.substring(at)
                        + "' (expected names and list indices, e.g. sparsifiers[0].k)");
            }
        }
        if (!(segs.get(0) instanceof String)) {
            throw new KeyException("key '" + text + "' must start with a name, e.g. model.units");
        }
        return new KeyPath(text, List.copyOf(segs));
    }

    /** The key in the form the run-file loader reports: {@code sparsifiers[0].k}. */
    public String canonical() {
        StringBuilder sb = new StringBuilder();
        for (Object s : segments) {
            if (s instanceof Integer i) {
                sb.append('[').append(i).append(']');
            } else {
                sb.append(sb.length() == 0 ? "" : ".").append(s);
            }
        }
        return sb.toString();
    }

    /** The names of the key, without indices ({@code sparsifiers[0].k} gives sparsifiers, k). */
    public List<String> names() {
        return segments.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }

    /** Whether {@code other} is this key or lies inside it. */
    public boolean covers(KeyPath other) {
        return other.segments.size() >= segments.size() && other.segments.subList(0, segments.size()).equals(segments);
    }

    /** Sets the value in place; throws {@link KeyException} naming the segment that does not exist. */
    public void set(ObjectNode root, JsonNode value) {
        JsonNode node = root;
        StringBuilder walked = new StringBuilder();
        for (int i = 0; i < segments.size(); i++) {
            Object seg = segments.get(i);
            boolean last = i == segments.size() - 1;
            if (seg instanceof String name) {
                if (!(node instanceof ObjectNode obj)) {
                    throw new KeyException("'" + walked + "' is " + kind(node) + ", not a map of keys, so it has no key '" + name + "'");
                }
                if (last) {
                    obj.set(name, value);
                    return;
                }
                JsonNode next = obj.get(name);
                String here = join(walked, name);
                if (next == null || next.isNull()) {
                    if (segments.get(i + 1) instanceof Integer index) {
                        throw new KeyException("'" + here + "' is not in the base run file, so it has no element [" + index + "]");
                    }
                    next = obj.putObject(name);
                }
                node = next;
                walked = new StringBuilder(here);
            } else {
                int index = (Integer) seg;
                if (!(node instanceof ArrayNode arr)) {
                    throw new KeyException("'" + walked + "' is " + kind(node) + ", not a list, so it has no element [" + index + "]");
                }
                if (index >= arr.size()) {
                    throw new KeyException("'" + walked + "' has " + arr.size() + " element" + (arr.size() == 1 ? "" : "s")
                            + " in the base run file, so it has no element [" + index + "]");
                }
                if (last) {
                    arr.set(index, value);
                    return;
                }
                JsonNode el = arr.get(index);
                if (el.isTextual() && segments.get(i + 1) instanceof String) {
                    // a bare id in a list (metrics: [accuracy]) becomes {id: accuracy} so that parameters can be set
                    ObjectNode o = arr.objectNode().put("id", el.asText());
                    arr.set(index, o);
                    el = o;
                }
                node = el;
                walked.append('[').append(index).append(']');
            }
        }
    }

    private static String kind(JsonNode n) {
        if (n.isArray()) {
            return "a list";
        }
        if (n.isObject()) {
            return "a map";
        }
        return "a value (" + n + ")";
    }

    private static String join(CharSequence a, String b) {
        return a.length() == 0 ? b : a + "." + b;
    }

    @Override
    public String toString() {
        return text;
    }
}
