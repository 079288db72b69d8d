package io.sharemirror.config;

import io.sharemirror.config.ConfigException.Problem;
import java.io.StringReader;
import io.sharemirror.sync.MirrorMode;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.yaml.snakeyaml.DumperOptions.FlowStyle;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The dashboard's Add, Edit and Remove Database as edits of the config file's text. Each splices only the lines of the
 * database it concerns, so the user's comments, order, quoting and blank lines stay as they were, and each result is
 * checked by {@link ConfigLoader} before it is returned: a config the agent would refuse is never written. An entry
 * gets only the settings that differ from what it would inherit from the {@code database:} block.
 */
public final class ConfigEdits {

    /** The first lines of a config file the dashboard creates. */
    static final String HEADER = """
            # ShareMirror's configuration, written by its dashboard (Add Database…). It may be edited by hand too:
            # ShareMirror follows the changes. The README's "Configuration" section lists every setting.

            """;

    private static final String LIST = "databases";

    private ConfigEdits() {
    }

    /** A new config file holding {@code draft} alone. */
    public static String newFile(Path file, DatabaseDraft draft) throws ConfigException {
        return add(HEADER + LIST + ": []\n", file, draft);
    }

    /**
     * The settings a database added to {@code text} starts with: those it would inherit from the {@code database:}
     * block, found by adding an entry with a name and path nobody uses and reading it back.
     */
    public static DatabaseDraft newEntryDefaults(String text, Path file) throws ConfigException {
        String probe = "new-entry-" + UUID.randomUUID();
        DatabaseDraft any = new DatabaseDraft(probe, probe + ".db", Duration.ZERO, EnableCache.AUTO,
                ConflictPolicy.NEWEST_WINS, MirrorMode.READ_WRITE);
        valid(text, file);
        DatabaseConfig inherited = ConfigLoader.parse(withEntry(text, any, Map.of()), file).database(probe)
                .orElseThrow();
        return new DatabaseDraft("", "", inherited.syncInterval(), inherited.enableCache(), inherited.conflict(),
                inherited.mode());
    }

    /** {@code text} with {@code draft} added at the end of the {@code databases:} list. */
    public static String add(String text, Path file, DatabaseDraft draft) throws ConfigException {
        valid(text, file);
        Map<String, String> keys = draft.settings();
        try {
            // What the entry inherits: settings equal to it are not written, so later edits of the block apply.
            DatabaseConfig inherited = ConfigLoader.parse(withEntry(text, draft, Map.of()), file)
                    .database(draft.name()).orElseThrow();
            Map<String, String> defaults = DatabaseDraft.of(inherited).settings();
            keys.entrySet().removeIf(k -> k.getValue().equals(defaults.get(k.getKey())));
        } catch (ConfigException e) {
            // the entry itself is wrong (its name, say): written in full, the check below names the problem
        }
        return checked(withEntry(text, draft, keys), file);
    }

    /** {@code text} with the settings of the database named {@code draft.name()} changed to the draft's. */
    public static String change(String text, Path file, DatabaseDraft draft) throws ConfigException {
        DatabaseConfig current = database(valid(text, file), file, draft.name());
        Map<String, String> before = DatabaseDraft.of(current).settings();
        Map<String, String> changed = new LinkedHashMap<>();
        if (!draft.path().equals(current.path())) {
            changed.put("path", scalar(draft.path()));
        }
        draft.settings().forEach((key, value) -> {
            if (!value.equals(before.get(key))) {
                changed.put(key, value);
            }
        });
        String result = text;
        for (Map.Entry<String, String> key : changed.entrySet()) {
            Entry entry = locate(YamlText.of(result), draft.name());
            result = set(entry.yaml, entry.mapping, key.getKey(), key.getValue());
            if (entry.block && !key.getKey().equals("path")) {
                // The database: block's values are every list entry's defaults: the others keep theirs.
                result = pin(result, key.getKey(), before.get(key.getKey()));
            }
        }
        return checked(result, file);
    }

    /** {@code text} without the database named {@code name}; the list is left as {@code []} when it was the last. */
    public static String remove(String text, Path file, String name) throws ConfigException {
        database(valid(text, file), file, name);
        YamlText yaml = YamlText.of(text);
        Entry entry = locate(yaml, name);
        String result;
        if (entry.block) {
            result = text;
            for (String key : List.of("path", "name")) {
                YamlText now = YamlText.of(result);
                MappingNode block = (MappingNode) YamlText.entry(now.rootMapping().orElseThrow(), "database")
                        .orElseThrow().getValueNode();
                Optional<NodeTuple> tuple = YamlText.entry(block, key);
                if (tuple.isPresent()) {
                    result = now.splice(now.lineStart(now.start(tuple.get().getKeyNode())),
                            now.nextLine(now.contentEnd(tuple.get().getValueNode()) - 1), "");
                }
            }
        } else {
            SequenceNode list = entry.list;
            if (list.getFlowStyle() == FlowStyle.FLOW) {
                List<Node> rest = new ArrayList<>(list.getValue());
                rest.remove(entry.mapping);
                result = yaml.splice(yaml.start(list), yaml.end(list), flowList(yaml, rest));
            } else {
                int dash = yaml.dashColumn(entry.mapping);
                result = yaml.splice(yaml.lineStart(yaml.dash(entry.mapping)),
                        yaml.blockEnd(yaml.contentEnd(entry.mapping), dash), "");
            }
        }
        return checked(noneYetIfEmpty(result), file);
    }

    // ------------------------------------------------------------------ finding a database in the text

    /** Where a database is written: an entry of the list, or the {@code database:} block's own path. */
    private record Entry(YamlText yaml, MappingNode mapping, SequenceNode list, boolean block) {
    }

    private static Entry locate(YamlText yaml, String name) {
        MappingNode root = yaml.rootMapping().orElseThrow();
        Optional<NodeTuple> list = YamlText.entry(root, LIST);
        if (list.isPresent() && list.get().getValueNode() instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) {
                if (item instanceof MappingNode m && YamlText.scalar(m, "name").filter(name::equals).isPresent()) {
                    return new Entry(yaml, m, seq, false);
                }
            }
        }
        // Not in the list, so it is the block's (ConfigLoader found it): named by `name`, or after its file.
        MappingNode block = (MappingNode) YamlText.entry(root, "database").orElseThrow().getValueNode();
        return new Entry(yaml, block, null, true);
    }

    private static DatabaseConfig database(AppConfig config, Path file, String name) throws ConfigException {
        return config.database(name).orElseThrow(() -> new ConfigException(new Problem(file, 0, "", "there is no"
                + " database named " + ConfigLoader.quote(name) + " in the file (any more); configured: "
                + String.join(", ", config.databases().stream().map(DatabaseConfig::name).toList()))));
    }

    // ------------------------------------------------------------------ writing

    private static String withEntry(String text, DatabaseDraft draft, Map<String, String> settings) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("name", scalar(draft.name()));
        keys.put("path", scalar(draft.path()));
        keys.putAll(settings);
        YamlText yaml = YamlText.of(text);
        String br = yaml.lineBreak();
        MappingNode root = yaml.rootMapping().orElseThrow();
        Optional<NodeTuple> list = YamlText.entry(root, LIST);
        if (list.isEmpty()) {
            return yaml.splice(yaml.text().length(), yaml.text().length(),
                    (yaml.endsWithLineBreak() ? "" : br) + LIST + ":" + br + item(keys, 2, br));
        }
        Node value = list.get().getValueNode();
        if (YamlText.isNull(value)) {
            int at = yaml.nextLine(yaml.afterColon(list.get().getKeyNode()));
            return yaml.splice(at, at, (at == yaml.text().length() && !yaml.endsWithLineBreak() ? br : "")
                    + item(keys, yaml.column(yaml.start(list.get().getKeyNode())) + 2, br));
        }
        SequenceNode seq = (SequenceNode) value;
        if (seq.getFlowStyle() == FlowStyle.FLOW && seq.getValue().isEmpty()) {
            int indent = yaml.column(yaml.start(list.get().getKeyNode())) + 2;
            return yaml.splice(yaml.afterColon(list.get().getKeyNode()), yaml.end(seq),
                    br + item(keys, indent, br).stripTrailing());
        }
        if (seq.getFlowStyle() == FlowStyle.FLOW) {
            String items = flowList(yaml, seq.getValue());
            return yaml.splice(yaml.start(seq), yaml.end(seq), items.substring(0, items.length() - 1) + ", "
                    + flowMapping(keys) + "]");
        }
        Node last = seq.getValue().get(seq.getValue().size() - 1);
        int dash = yaml.dashColumn(last);
        int at = yaml.blockEnd(yaml.contentEnd(last), dash);
        return yaml.splice(at, at, (at == yaml.text().length() && !yaml.endsWithLineBreak() ? br : "")
                + item(keys, dash, br));
    }

    /** A block list item: {@code - name: x} and the other keys under it. */
    private static String item(Map<String, String> keys, int dashColumn, String br) {
        StringBuilder out = new StringBuilder();
        String indent = " ".repeat(dashColumn + 2);
        keys.forEach((key, value) -> out.append(out.isEmpty() ? " ".repeat(dashColumn) + "- " : indent)
                .append(key).append(": ").append(value).append(br));
        return out.toString();
    }

    private static String flowMapping(Map<String, String> keys) {
        List<String> pairs = new ArrayList<>();
        keys.forEach((key, value) -> pairs.add(key + ": " + value));
        return "{" + String.join(", ", pairs) + "}";
    }

    private static String flowList(YamlText yaml, List<Node> items) {
        return "[" + String.join(", ", items.stream().map(i -> yaml.text().substring(yaml.start(i), yaml.end(i)))
                .toList()) + "]";
    }

    /** Sets {@code key} in a mapping: its value replaced where it is written, else a line (or pair) added. */
    private static String set(YamlText yaml, MappingNode mapping, String key, String value) {
        Optional<NodeTuple> tuple = YamlText.entry(mapping, key);
        if (tuple.isPresent()) {
            Node old = tuple.get().getValueNode();
            return YamlText.isNull(old)
                    ? yaml.splice(yaml.afterColon(tuple.get().getKeyNode()), yaml.afterColon(tuple.get().getKeyNode()),
                            " " + value)
                    : yaml.splice(yaml.start(old), yaml.end(old), value);
        }
        if (mapping.getFlowStyle() == FlowStyle.FLOW) {
            int close = yaml.end(mapping) - 1;
            return yaml.splice(close, close, (mapping.getValue().isEmpty() ? "" : ", ") + key + ": " + value);
        }
        String br = yaml.lineBreak();
        int at = yaml.nextLine(yaml.contentEnd(mapping) - 1);
        String indent = " ".repeat(yaml.column(yaml.start(mapping.getValue().get(0).getKeyNode())));
        return yaml.splice(at, at, (at == yaml.text().length() && !yaml.endsWithLineBreak() ? br : "") + indent + key
                + ": " + value + br);
    }

    /** Writes {@code key: value} into every list entry that does not set {@code key} itself. */
    private static String pin(String text, String key, String value) {
        String result = text;
        for (int i = 0; ; i++) {
            YamlText yaml = YamlText.of(result);
            Optional<NodeTuple> list = YamlText.entry(yaml.rootMapping().orElseThrow(), LIST);
            if (list.isEmpty() || !(list.get().getValueNode() instanceof SequenceNode seq) || i >= seq.getValue().size()) {
                return result;
            }
            if (seq.getValue().get(i) instanceof MappingNode m && YamlText.entry(m, key).isEmpty()) {
                result = set(yaml, m, key, value);
            }
        }
    }

    /** {@code text} with {@code databases: []} where it would otherwise name no database at all. */
    private static String noneYetIfEmpty(String text) {
        YamlText yaml = YamlText.of(text);
        MappingNode root = yaml.rootMapping().orElseThrow();
        Optional<NodeTuple> list = YamlText.entry(root, LIST);
        if (list.isPresent() && !YamlText.isNull(list.get().getValueNode())) {
            return text;
        }
        // Only when the database: block's own database was removed, or the list's last: none are left.
        if (list.isPresent()) {
            int at = yaml.afterColon(list.get().getKeyNode());
            return yaml.splice(at, at, " []");
        }
        String br = yaml.lineBreak();
        return yaml.splice(yaml.text().length(), yaml.text().length(),
                (yaml.endsWithLineBreak() ? "" : br) + LIST + ": []" + br);
    }

    /**
     * A value as YAML: plain where SnakeYAML reads it back as the same text, else single-quoted (a path with
     * {@code #} or {@code : }, a name like {@code 12} or {@code true}).
     */
    static String scalar(String value) {
        try {
            Node n = new Yaml(new LoaderOptions()).compose(new StringReader("k: " + value));
            if (n instanceof MappingNode m && m.getValue().get(0).getValueNode() instanceof ScalarNode s
                    && Tag.STR.equals(s.getTag()) && s.getValue().equals(value) && !value.isBlank()) {
                return value;
            }
        } catch (YAMLException e) {
            // not plain YAML: quoted below
        }
        return "'" + value.replace("'", "''") + "'";
    }

    private static AppConfig valid(String text, Path file) throws ConfigException {
        return ConfigLoader.parse(text, file);
    }

    private static String checked(String text, Path file) throws ConfigException {
        valid(text, file);
        return text;
    }
}
