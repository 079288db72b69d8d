package io.sharemirror.config;

import static io.sharemirror.config.ConfigLoader.quote;

import io.sharemirror.paths.PathShape;
import io.sharemirror.paths.PostgresAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Walks the composed document: the top-level keys, the {@code database:} block (every database's defaults, the
 * settings for all databases, and perhaps one database of its own) and the {@code databases:} list. Nothing on disk is
 * looked at here; {@link DiskChecks} does that afterwards.
 */
final class ConfigReader {

    /** The file as read: the cache folder, the tuning and the databases, each as far as it is valid. */
    record Parsed(GlobalSettings.CacheDirectory cacheDirectory, Tuning tuning, List<ParsedDatabase> databases) {

        AppConfig config(Path file) {
            return new AppConfig(file, cacheDirectory.folder(), tuning,
                    databases.stream().map(d -> d.config).toList());
        }
    }

    private static final String BLOCK = "database";
    private static final String LIST = "databases";
    private static final List<String> TOP_KEYS = List.of(BLOCK, LIST);
    private static final List<String> BLOCK_KEYS = Stream.of(List.of("path", "name"),
            Setting.keys(DatabaseSettings.SHARED), GlobalSettings.KEYS).flatMap(List::stream).toList();
    private static final List<String> ENTRY_KEYS = Stream.of(List.of("name", "path"),
            Setting.keys(DatabaseSettings.ENTRY)).flatMap(List::stream).toList();

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final String NAME_RULE = "expected 1 to 64 letters, digits, '_', '.' or '-', starting with"
            + " a letter or digit (it becomes the file name <name>.db)";
    /** {@code state.db} in the cache directory belongs to the agent; the others are Windows device names. */
    private static final Pattern RESERVED_NAME = Pattern.compile("(?i)(state|con|prn|aux|nul|com[0-9]|lpt[0-9])");
    private static final String PATH_EXAMPLES = "the database file on the share, like \\\\server\\share\\app.db or a"
            + " mount path, or a PostgreSQL hub, like postgresql://db.example.com/app";

    private final NodeReader nodes;
    private final Path baseDir;

    private ConfigReader(NodeReader nodes, Path baseDir) {
        this.nodes = nodes;
        this.baseDir = baseDir;
    }

    /**
     * Reads the document at {@code root}; relative paths are resolved against {@code baseDir}. Problems go to
     * {@code nodes}; thrown at once only when the document is not a mapping at all.
     */
    static Parsed read(Node root, NodeReader nodes, Path baseDir) throws ConfigException {
        if (nodes.rejected(root)) {
            throw nodes.failure();
        }
        if (!(root instanceof MappingNode m)) {
            nodes.problem(root, "", "found " + NodeReader.describe(root) + " at the top of the file; expected keys"
                    + " `database:` and/or `databases:`");
            throw nodes.failure();
        }
        return new ConfigReader(nodes, baseDir).read(m);
    }

    private Parsed read(MappingNode root) {
        Map<String, NodeTuple> top = nodes.keys(root, "", TOP_KEYS, ConfigReader::topLevelHint);
        Map<String, NodeTuple> block = blockKeys(top.get(BLOCK));
        SettingValues defaults = SettingValues.read(nodes, DatabaseSettings.SHARED, block, BLOCK,
                DatabaseSettings.DEFAULTS);
        GlobalSettings.CacheDirectory cache = GlobalSettings.cacheDirectory(nodes, block, BLOCK, baseDir);
        Tuning tuning = GlobalSettings.tuning(nodes, block, BLOCK);

        List<ParsedDatabase> databases = new ArrayList<>();
        ParsedDatabase single = blockDatabase(block, defaults);
        if (single != null) {
            databases.add(single);
        }
        NodeTuple list = top.get(LIST);
        databases.addAll(entries(list, defaults));
        // `databases: []` says "none yet" (the dashboard writes it when the last one is removed); a file that names
        // no databases at all is more likely a mistake.
        if (single == null && (list == null || NodeReader.isNull(list.getValueNode()))) {
            nodes.problem(list != null ? list.getKeyNode() : root, list != null ? LIST : "",
                    "no databases configured; add a `databases:` list or `database.path`");
        }
        checkNamesDiffer(databases);
        return new Parsed(cache, tuning, databases);
    }

    // ---------------------------------------------------------------- the database: block

    private Map<String, NodeTuple> blockKeys(NodeTuple tuple) {
        if (tuple == null || NodeReader.isNull(tuple.getValueNode())) {
            return Map.of();
        }
        MappingNode m = nodes.mapping(tuple.getValueNode(), BLOCK, "expected a mapping of settings such as"
                + " `sync_interval: 30`");
        return m == null ? Map.of() : nodes.keys(m, BLOCK, BLOCK_KEYS, ConfigReader::blockHint);
    }

    /** The block's own database, named by {@code name:} or after its file; null when it has no {@code path:}. */
    private ParsedDatabase blockDatabase(Map<String, NodeTuple> k, SettingValues values) {
        NodeTuple pathTuple = k.get("path");
        NodeTuple nameTuple = k.get("name");
        if (pathTuple == null) {
            if (nameTuple != null && !nodes.rejected(nameTuple.getValueNode())) {
                nodes.problem(nameTuple.getKeyNode(), BLOCK + ".name", "`name` is only allowed together with `path`"
                        + " in the database: block; to name list entries use `databases:`");
            }
            return null;
        }
        ParsedDatabase d = new ParsedDatabase(BLOCK, pathTuple.getKeyNode());
        readPath(d, pathTuple);
        if (nameTuple != null) {
            readName(d, nameTuple);
        } else if (d.rawPath != null) {
            String stem = d.postgres != null ? d.postgres.database() : stem(d.rawPath);
            if (validName(stem)) {
                d.name = stem;
            } else {
                nodes.problem(pathTuple.getValueNode(), BLOCK + ".path", (d.postgres != null ? "the PostgreSQL"
                        + " database name " : "the file name ") + quote(stem)
                        + " cannot be used as the database name; add `name:` with a name of 1 to 64"
                        + " letters, digits, '_', '.' or '-'");
            }
            d.nameNode = pathTuple.getValueNode();
        }
        complete(d, values);
        return d;
    }

    // ---------------------------------------------------------------- the databases: list

    private List<ParsedDatabase> entries(NodeTuple tuple, SettingValues defaults) {
        if (tuple == null || NodeReader.isNull(tuple.getValueNode())) {
            return List.of();
        }
        SequenceNode seq = nodes.sequence(tuple.getValueNode(), LIST, "expected a list of databases, each starting"
                + " with `- name:`");
        if (seq == null) {
            return List.of();
        }
        List<ParsedDatabase> out = new ArrayList<>();
        List<Node> items = seq.getValue();
        for (int i = 0; i < items.size(); i++) {
            String path = LIST + "[" + i + "]";
            MappingNode m = nodes.mapping(items.get(i), path, "expected a database with `name:` and `path:`");
            if (m != null) {
                out.add(entry(m, path, defaults));
            }
        }
        return out;
    }

    private ParsedDatabase entry(MappingNode m, String path, SettingValues defaults) {
        ParsedDatabase d = new ParsedDatabase(path, m);
        Map<String, NodeTuple> k = nodes.keys(m, path, ENTRY_KEYS, ConfigReader::entryHint);
        NodeTuple nameTuple = k.get("name");
        if (nameTuple == null) {
            nodes.problem(m, path, "missing `name:`; every database needs a name (it becomes the file name"
                    + " <name>.db)");
        } else {
            readName(d, nameTuple);
        }
        NodeTuple pathTuple = k.get("path");
        if (pathTuple == null) {
            nodes.problem(m, path, "missing `path:`; expected " + PATH_EXAMPLES);
        } else {
            readPath(d, pathTuple);
        }
        complete(d, SettingValues.read(nodes, DatabaseSettings.ENTRY, k, path, defaults));
        return d;
    }

    private void complete(ParsedDatabase d, SettingValues values) {
        if (d.postgres != null && values.get(DatabaseSettings.ENABLE_CACHE) == EnableCache.FALSE) {
            nodes.problem(d.pathNode, NodeReader.join(d.yamlPath, "path"), "a PostgreSQL hub is always mirrored into a"
                    + " local replica (applications open SQLite files only), so enable_cache: false cannot apply to"
                    + " it; set enable_cache to auto or true for this database");
            return;
        }
        if (values.allRight() && d.name != null && d.location != null) {
            d.config = DatabaseSettings.config(d.name, d.rawPath, d.location, Optional.ofNullable(d.postgres),
                    values);
        }
    }

    // ---------------------------------------------------------------- name and path

    private void readName(ParsedDatabase d, NodeTuple t) {
        d.nameNode = t.getValueNode();
        String name = nodes.string(t, d.yamlPath, "a database name");
        if (name == null) {
            return;
        }
        String where = NodeReader.join(d.yamlPath, "name");
        if (!NAME.matcher(name).matches()) {
            nodes.problem(t.getValueNode(), where, quote(name) + " is not a valid name; " + NAME_RULE);
        } else if (RESERVED_NAME.matcher(name).matches()) {
            nodes.problem(t.getValueNode(), where, quote(name) + " is a reserved name"
                    + (name.equalsIgnoreCase("state") ? " (the cache folder's state.db belongs to ShareMirror)"
                    : " on Windows") + "; choose another name");
        } else {
            d.name = name;
        }
    }

    private static boolean validName(String name) {
        return NAME.matcher(name).matches() && !RESERVED_NAME.matcher(name).matches();
    }

    /** The path as written and the location it names; both stay null after a problem. */
    private void readPath(ParsedDatabase d, NodeTuple t) {
        d.pathNode = t.getValueNode();
        String raw = nodes.string(t, d.yamlPath, PATH_EXAMPLES);
        if (raw == null) {
            return;
        }
        if (PathShape.of(raw) == PathShape.POSTGRES) {
            readPostgres(d, t, raw);
            return;
        }
        try {
            d.location = ConfigLoader.resolve(raw, baseDir);
            d.rawPath = raw;
        } catch (InvalidPathException e) {
            nodes.problem(t.getValueNode(), NodeReader.join(d.yamlPath, "path"), quote(raw) + " is not a valid path: "
                    + e.getReason());
        }
    }

    /** A {@code postgresql://} URL; a problem names what is wrong in it, never the URL, which may hold a password. */
    private void readPostgres(ParsedDatabase d, NodeTuple t, String raw) {
        try {
            d.postgres = PostgresAddress.parse(raw);
            d.location = d.postgres.url();
            d.rawPath = raw;
        } catch (PostgresAddress.Invalid e) {
            nodes.problem(t.getValueNode(), NodeReader.join(d.yamlPath, "path"), "not a usable PostgreSQL URL: "
                    + e.getMessage());
        }
    }

    /** The file name of a path written with / or \, without its last extension. */
    private static String stem(String path) {
        String s = path;
        int cut = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
        s = s.substring(cut + 1);
        int dot = s.lastIndexOf('.');
        return dot > 0 ? s.substring(0, dot) : s;
    }

    private void checkNamesDiffer(List<ParsedDatabase> databases) {
        Map<String, ParsedDatabase> names = new HashMap<>();
        for (ParsedDatabase d : databases) {
            if (d.name == null) {
                continue;
            }
            ParsedDatabase first = names.putIfAbsent(d.name.toLowerCase(Locale.ROOT), d);
            if (first != null) {
                nodes.problem(d.nameNode, d.yamlPath + ".name", quote(d.name) + " is already used by "
                        + first.yamlPath + " (line " + NodeReader.line(first.nameNode) + "); names must differ"
                        + " ignoring case because each becomes a file <name>.db");
            }
        }
    }

    // ---------------------------------------------------------------- advice for keys in the wrong place

    private static String topLevelHint(String key) {
        if (key.equals("tuning")) {
            return "; tuning settings (" + String.join(", ", GlobalSettings.TUNING_KEYS) + ") go in the `database:`"
                    + " block";
        }
        if (BLOCK_KEYS.contains(key)) {
            return "; did you mean database." + key + "? (it goes inside the `database:` block)";
        }
        return "";
    }

    private static String blockHint(String key) {
        return key.equals("tables") ? "; `tables` is set per database in the `databases:` list" : "";
    }

    private static String entryHint(String key) {
        return GlobalSettings.KEYS.contains(key)
                ? "; " + key + " applies to all databases, so set it in the `database:` block" : "";
    }
}
