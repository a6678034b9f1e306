package org.sparselab.core.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.StringReader;
import java.util.HashMap;
import java.util.Map;

/** Maps dotted key paths of a YAML document ({@code model.k}, {@code metrics[1].id}) to 1-based line numbers. */
public final class YamlLocations {
    private final Map<String, Integer> lines = new HashMap<>();

    private YamlLocations() {
    }

    public static YamlLocations of(String yamlText) {
        YamlLocations loc = new YamlLocations();
        try {
            Node root = new Yaml(new LoaderOptions()).compose(new StringReader(yamlText));
            if (root != null) {
                loc.walk("", root);
            }
        } catch (RuntimeException e) {
            // Syntax errors are reported by the real parser, with its own location.
        }
        return loc;
    }

    private void walk(String path, Node node) {
        lines.putIfAbsent(path, node.getStartMark().getLine() + 1);
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k) {
                    String p = path.isEmpty() ? k.getValue() : path + "." + k.getValue();
                    lines.put(p, t.getKeyNode().getStartMark().getLine() + 1);
                    walk(p, t.getValueNode());
                    lines.put(p, t.getKeyNode().getStartMark().getLine() + 1);
                }
            }
        } else if (node instanceof SequenceNode s) {
            int i = 0;
            for (Node child : s.getValue()) {
                walk(path + "[" + i++ + "]", child);
            }
        }
    }

    /** Line of the path, or of its nearest enclosing key, or 0 when unknown. */
    public int line(String path) {
        String p = path;
        while (true) {
            Integer l = lines.get(p);
            if (l != null) {
                return l;
            }
            if (p.isEmpty()) {
                return 0;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
    }
}
