package io.sharemirror.config;

import io.sharemirror.config.ConfigException.Problem;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The config file's text as a tree of SnakeYAML nodes, and nothing more: only the composer runs, so every value keeps
 * its line and nothing in the file is ever turned into a Java object. A node with a tag other than a plain YAML type
 * is reported and rejected, so that no read looks at it.
 */
final class PlainYaml {

    private static final Set<Tag> PLAIN_TAGS = Set.of(
            Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.MAP, Tag.SEQ,
            // an unquoted date such as 2024-01-31 resolves to this; it is only ever read as text
            Tag.TIMESTAMP);

    private PlainYaml() {
    }

    /**
     * The document's root node, its tags checked into {@code nodes}; thrown at once for a syntax error or an empty
     * document.
     */
    static Node compose(String text, Path file, NodeReader nodes) throws ConfigException {
        String yaml = text.startsWith("\uFEFF") ? text.substring(1) : text;
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(20);
        options.setCodePointLimit(ConfigLoader.MAX_SIZE);
        options.setAllowRecursiveKeys(false);
        options.setMergeOnCompose(false);
        Node root;
        try {
            root = new Yaml(options).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            throw new ConfigException(syntaxProblem(e, file));
        } catch (YAMLException e) {
            throw ConfigException.wholeFile(file, "cannot read the YAML: " + e.getMessage());
        }
        if (root == null) {
            throw ConfigException.wholeFile(file, "file is empty; add a `databases:` list or `database.path`");
        }
        checkTags(root, "", nodes, Collections.newSetFromMap(new IdentityHashMap<>()));
        return root;
    }

    private static Problem syntaxProblem(MarkedYAMLException e, Path file) {
        Mark at = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        int line = at == null ? 0 : at.getLine() + 1;
        String problem = e.getProblem() == null ? "invalid YAML" : e.getProblem().strip();
        String globalTag = "Global tag is not allowed: ";
        if (problem.startsWith(globalTag)) {
            return new Problem(file, line, "", tagMessage(problem.substring(globalTag.length())));
        }
        StringBuilder msg = new StringBuilder("YAML syntax error");
        if (at != null) {
            msg.append(" at column ").append(at.getColumn() + 1);
        }
        msg.append(": ").append(problem);
        if (e.getContext() != null && e.getContextMark() != null && e.getContextMark() != at) {
            msg.append(" (").append(e.getContext().strip()).append(" that starts on line ")
                    .append(e.getContextMark().getLine() + 1).append(')');
        }
        return new Problem(file, line, "", msg.toString());
    }

    /** Rejects every node whose tag is not a plain YAML type; the value of a rejected key goes with it. */
    private static void checkTags(Node n, String path, NodeReader nodes, Set<Node> visited) {
        if (!visited.add(n)) {
            return;
        }
        Tag tag = n.getTag();
        if (!PLAIN_TAGS.contains(tag) && !(Tag.MERGE.equals(tag) && n instanceof ScalarNode)) {
            nodes.reject(n, path, tagMessage(tag.getValue()));
            return;
        }
        if (n instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                Node k = t.getKeyNode();
                checkTags(k, path, nodes, visited);
                if (nodes.rejected(k)) {
                    nodes.skip(t.getValueNode());
                } else {
                    String key = k instanceof ScalarNode s ? s.getValue() : "?";
                    checkTags(t.getValueNode(), NodeReader.join(path, key), nodes, visited);
                }
            }
        } else if (n instanceof SequenceNode s) {
            List<Node> items = s.getValue();
            for (int i = 0; i < items.size(); i++) {
                checkTags(items.get(i), path + "[" + i + "]", nodes, visited);
            }
        }
    }

    private static String tagMessage(String tag) {
        String shown = tag.startsWith(Tag.PREFIX) ? "!!" + tag.substring(Tag.PREFIX.length()) : tag;
        return "tag " + shown + " is not allowed; only plain text, numbers, true/false, lists and mappings"
                + " are accepted";
    }
}
