package io.sharemirror.config;

import static io.sharemirror.config.ConfigLoader.quote;

import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.sync.conflict.MergeMode;
import io.sharemirror.sync.conflict.TablePolicies;
import io.sharemirror.sync.conflict.TablePolicy;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/**
 * The {@code per_table:} setting: tables whose conflicts are settled apart from their database's, each with its own
 * {@code conflict:} and/or {@code merge:}; and the {@link TablePolicies} a database gets from it.
 */
final class PerTablePolicies {

    private static final List<String> KEYS = List.of("conflict", "merge");

    /**
     * A table's own {@code conflict:} and {@code merge:} as written under {@code per_table:}; null where the table
     * takes the database's.
     */
    record TableSettings(String table, ConflictPolicy conflict, MergeMode merge) {
    }

    private PerTablePolicies() {
    }

    /**
     * {@code per_table:}, a mapping from table names to {@code conflict:} and/or {@code merge:}, by name folded to
     * lower case. A table that does not exist is allowed: it may be made later.
     */
    static Map<String, TableSettings> read(NodeReader nodes, NodeTuple t, String path) {
        Node v = t.getValueNode();
        if (NodeReader.isNull(v)) {
            return Map.of();
        }
        String where = NodeReader.join(path, "per_table");
        MappingNode m = nodes.mapping(v, where, "expected table names, each with `conflict:` and/or `merge:`, like"
                + " `stock_move: {conflict: hub-wins, merge: row}`");
        if (m == null) {
            return null;
        }
        int before = nodes.problemCount();
        Map<String, TableSettings> tables = new LinkedHashMap<>();
        Map<String, Node> seen = new HashMap<>();
        for (NodeTuple entry : m.getValue()) {
            Node nameNode = entry.getKeyNode();
            String name = nodes.rejected(nameNode) ? null : nodes.scalarText(nameNode, where, "a table name");
            if (name == null) {
                continue;
            }
            String tablePath = NodeReader.join(where, name);
            String folded = name.toLowerCase(Locale.ROOT);
            Node first = seen.putIfAbsent(folded, nameNode);
            if (first != null) {
                nodes.problem(nameNode, tablePath, quote(name) + " is configured twice (also on line "
                        + NodeReader.line(first) + "); table names are compared ignoring case");
            } else if (TableLists.internal(folded)) {
                nodes.problem(nameNode, tablePath, TableLists.internalTableMessage(name));
            } else {
                TableSettings settings = tableSettings(nodes, name, entry.getValueNode(), tablePath);
                if (settings != null) {
                    tables.put(folded, settings);
                }
            }
        }
        return nodes.problemCount() > before ? null : tables;
    }

    private static TableSettings tableSettings(NodeReader nodes, String table, Node v, String path) {
        if (nodes.rejected(v)) {
            return null;
        }
        if (!(v instanceof MappingNode m) || m.getValue().isEmpty()) {
            String found = v instanceof MappingNode || NodeReader.isNull(v) ? "is empty"
                    : "found " + NodeReader.describe(v);
            nodes.problem(v, path, found + "; expected `conflict:` (" + spellings(ConflictPolicy.values(),
                    ConflictPolicy::configName) + ") and/or `merge:` (" + spellings(MergeMode.values(),
                    MergeMode::configName) + ")");
            return null;
        }
        Map<String, NodeTuple> k = nodes.keys(m, path, KEYS, key -> "");
        return new TableSettings(table, DatabaseSettings.CONFLICT.read(nodes, k, path),
                DatabaseSettings.MERGE.read(nodes, k, path));
    }

    private static <E> String spellings(E[] values, Function<E, String> spelling) {
        return String.join(", ", Arrays.stream(values).map(spelling).toList());
    }

    /** The {@code database:} block's tables and the database's own, whose settings replace the block's for a table. */
    static Map<String, TableSettings> inherit(Map<String, TableSettings> inherited, Map<String, TableSettings> own) {
        Map<String, TableSettings> settings = new LinkedHashMap<>(inherited);
        settings.putAll(own);
        return settings;
    }

    /** Each table's policy: its own settings, and where it sets nothing, the database's. */
    static TablePolicies policies(ConflictPolicy conflict, MergeMode merge, Map<String, TableSettings> tables) {
        Map<String, TablePolicy> policies = new LinkedHashMap<>();
        tables.values().forEach(t -> policies.put(t.table(), new TablePolicy(
                t.conflict() != null ? t.conflict() : conflict, t.merge() != null ? t.merge() : merge)));
        return new TablePolicies(new TablePolicy(conflict, merge), policies);
    }
}
