package io.sharemirror.config;

import static io.sharemirror.config.ConfigLoader.quote;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** A database's {@code tables:} setting: the {@code include:} and {@code exclude:} lists of table names. */
final class TableLists {

    private static final List<String> KEYS = List.of("include", "exclude");

    private TableLists() {
    }

    /** The tables the database mirrors; every table when {@code tables:} is empty; null after a problem. */
    static TableFilter read(NodeReader nodes, NodeTuple t, String path) {
        if (NodeReader.isNull(t.getValueNode())) {
            return TableFilter.ALL;
        }
        String where = NodeReader.join(path, "tables");
        MappingNode m = nodes.mapping(t.getValueNode(), where, "expected a mapping with `include:` and/or `exclude:`"
                + " lists of table names");
        if (m == null) {
            return null;
        }
        int before = nodes.problemCount();
        Map<String, NodeTuple> k = nodes.keys(m, where, KEYS, key -> "");
        Map<String, Node> included = new HashMap<>();
        List<String> include = tableNames(nodes, k.get("include"), where, included, null);
        List<String> exclude = tableNames(nodes, k.get("exclude"), where, new HashMap<>(), included);
        if (nodes.problemCount() > before || include == null || exclude == null) {
            return null;
        }
        return new TableFilter(include, exclude);
    }

    /** Whether a table name, folded to lower case, is SQLite's or ShareMirror's own. */
    static boolean internal(String folded) {
        return folded.startsWith("sqlite_") || folded.startsWith("_sm_");
    }

    static String internalTableMessage(String name) {
        return quote(name) + " is an internal table; expected a user table name (sqlite_* and _sm_* tables are never"
                + " mirrored)";
    }

    /** Reads a list of table names; reports repeats, and names also found in {@code included} when given. */
    private static List<String> tableNames(NodeReader nodes, NodeTuple t, String path, Map<String, Node> seen,
                                           Map<String, Node> included) {
        if (t == null || NodeReader.isNull(t.getValueNode())) {
            return List.of();
        }
        String key = NodeReader.key(t);
        String where = NodeReader.join(path, key);
        SequenceNode seq = nodes.sequence(t.getValueNode(), where, "expected a list of table names, like"
                + " [Artist, Album]");
        if (seq == null) {
            return null;
        }
        List<String> names = new ArrayList<>();
        List<Node> items = seq.getValue();
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String itemPath = where + "[" + i + "]";
            String name = nodes.rejected(item) ? null : nodes.scalarText(item, itemPath, "a table name");
            if (name == null) {
                continue;
            }
            String folded = name.toLowerCase(Locale.ROOT);
            Node first = seen.putIfAbsent(folded, item);
            if (first != null) {
                nodes.problem(item, itemPath, quote(name) + " is listed twice in " + key + " (also on line "
                        + NodeReader.line(first) + "); table names are compared ignoring case");
            } else if (included != null && included.containsKey(folded)) {
                nodes.problem(item, itemPath, quote(name) + " is both included (line "
                        + NodeReader.line(included.get(folded)) + ") and excluded; remove it from one of the lists");
            } else if (included == null && internal(folded)) {
                nodes.problem(item, itemPath, internalTableMessage(name));
            } else {
                names.add(name);
            }
        }
        return names;
    }
}
