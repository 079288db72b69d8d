package io.sharemirror.config;

import io.sharemirror.config.ConfigException.Problem;
import io.sharemirror.paths.PathShape;
import io.sharemirror.sync.MirrorMode;
import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.sync.conflict.MergeMode;
import io.sharemirror.sync.conflict.TablePolicies;
import io.sharemirror.sync.conflict.TablePolicy;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
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
 * Reads {@code config.yaml} into an {@link AppConfig}.
 *
 * <p>Only SnakeYAML's composer is used: the document becomes a tree of nodes that is walked by
 * hand, so every value keeps its line number and nothing in the file is ever turned into a Java
 * object by SnakeYAML. Every problem in the file is collected in one pass and thrown together as a
 * {@link ConfigException}; a configuration is either returned whole or not at all.
 *
 * <p>Over 400 lines because it parses the {@code database:} block and each {@code databases:} entry with two copies of
 * the setting rules; issue 18 replaces them with one declarative table of settings and a typed node reader.
 */
public final class ConfigLoader {

    /** Largest config file read, in bytes and in code points. */
    static final int MAX_SIZE = 1024 * 1024;

    static final int DEFAULT_SYNC_INTERVAL_SECONDS = 30;
    static final String DEFAULT_CACHE_DIRECTORY = "~/.ims_cache";

    private static final List<String> TOP_KEYS = List.of("database", "databases");
    private static final List<String> TUNING_KEYS = List.of(
            "thread_pool_size", "connection_timeout", "max_retries",
            "retry_base_delay", "retry_max_delay", "connection_pool_size", "hub_poll_interval", "max_clock_ahead");
    private static final List<String> DEFAULTS_BLOCK_KEYS = concat(
            List.of("path", "name", "sync_interval", "enable_cache", "cache_directory", "conflict", "merge", "per_table",
                    "mode"), TUNING_KEYS);
    private static final List<String> ENTRY_KEYS =
            List.of("name", "path", "sync_interval", "enable_cache", "conflict", "merge", "per_table", "mode", "tables");
    private static final List<String> TABLES_KEYS = List.of("include", "exclude");
    private static final List<String> TABLE_POLICY_KEYS = List.of("conflict", "merge");

    private static final Set<Tag> PLAIN_TAGS = Set.of(
            Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.MAP, Tag.SEQ,
            // an unquoted date such as 2024-01-31 resolves to this; it is only ever read as text
            Tag.TIMESTAMP);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final String NAME_RULE = "expected 1 to 64 letters, digits, '_', '.' or '-', starting with"
            + " a letter or digit (it becomes the file name <name>.db)";
    /** {@code state.db} in the cache directory belongs to the agent; the others are Windows device names. */
    private static final Pattern RESERVED_NAME =
            Pattern.compile("(?i)(state|con|prn|aux|nul|com[0-9]|lpt[0-9])");
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d{1,4})?");

    private ConfigLoader() {
    }

    /** Reads and validates {@code file}; the returned configuration is complete, or a problem list is thrown. */
    public static AppConfig load(Path file) throws ConfigException {
        Path abs = file.toAbsolutePath().normalize();
        String text;
        try {
            if (Files.isDirectory(abs)) {
                throw single(abs, abs + " is a folder; expected a YAML file");
            }
            long size = Files.size(abs);
            if (size > MAX_SIZE) {
                throw single(abs, "file is too large (" + size + " bytes); a config file may be at most "
                        + MAX_SIZE + " bytes");
            }
            text = Files.readString(abs, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw single(abs, "file not found: " + abs);
        } catch (AccessDeniedException e) {
            throw single(abs, "cannot read " + abs + ": permission denied");
        } catch (CharacterCodingException e) {
            throw single(abs, "file is not UTF-8 text; save it as UTF-8");
        } catch (IOException e) {
            throw single(abs, "cannot read " + abs + ": " + e.getMessage());
        }
        return parse(text, abs);
    }

    /**
     * Parses YAML text as if it had been read from {@code source}: problems name that file, and
     * relative paths are resolved against its folder. The file itself is not read.
     */
    public static AppConfig parse(String yamlText, Path source) throws ConfigException {
        Path abs = source.toAbsolutePath().normalize();
        return new Run(abs).parse(yamlText);
    }

    private static ConfigException single(Path file, String message) {
        return new ConfigException(new Problem(file, 0, "", message));
    }

    /** One parse: the file, its folder, and the problems found so far. */
    private static final class Run {
        private final Path file;
        private final Path baseDir;
        private final List<Problem> problems = new ArrayList<>();
        /** Nodes with a tag that is not allowed: already reported, skipped by the walk. */
        private final Set<Node> rejected = Collections.newSetFromMap(new IdentityHashMap<>());

        Run(Path file) {
            this.file = file;
            Path parent = file.getParent();
            this.baseDir = parent != null ? parent : file.toAbsolutePath().getRoot();
        }

        AppConfig parse(String text) throws ConfigException {
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            Node root = compose(text);
            if (root == null) {
                throw single(file, "file is empty; add a `databases:` list or `database.path`");
            }
            scanTags(root, "", Collections.newSetFromMap(new IdentityHashMap<>()));
            if (rejected.contains(root)) {
                throw done();
            }
            if (!(root instanceof MappingNode)) {
                problem(root, "", "found " + describe(root) + " at the top of the file; expected keys"
                        + " `database:` and/or `databases:`");
                throw done();
            }
            Map<String, NodeTuple> top = keys((MappingNode) root, "", TOP_KEYS, Run::topLevelHint);

            Block block = readDefaultsBlock(top.get("database"));
            List<Entry> entries = new ArrayList<>();
            if (block.single != null) {
                entries.add(block.single);
            }
            entries.addAll(readEntries(top.get("databases"), block));

            // `databases: []` says "none yet" (the dashboard writes it when the last one is removed); a file that
            // names no databases at all is more likely a mistake.
            NodeTuple list = top.get("databases");
            boolean listDeclared = list != null && !isNull(list.getValueNode());
            if (block.single == null && !listDeclared) {
                problem(list != null ? list.getKeyNode() : root, list != null ? "databases" : "",
                        "no databases configured; add a `databases:` list or `database.path`");
            }
            checkUnique(entries);
            if (!problems.isEmpty()) {
                throw done();
            }
            List<DatabaseConfig> databases = entries.stream().map(e -> e.config).toList();
            return new AppConfig(file, block.cacheDirectory, block.tuning, databases);
        }

        private Node compose(String text) throws ConfigException {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(20);
            options.setCodePointLimit(MAX_SIZE);
            options.setAllowRecursiveKeys(false);
            options.setMergeOnCompose(false);
            try {
                return new Yaml(options).compose(new StringReader(text));
            } catch (MarkedYAMLException e) {
                throw new ConfigException(syntaxProblem(e));
            } catch (YAMLException e) {
                throw single(file, "cannot read the YAML: " + e.getMessage());
            }
        }

        private Problem syntaxProblem(MarkedYAMLException e) {
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

        // ---------------------------------------------------------------- the database: block

        /** Values of the {@code database:} block: defaults for every database, and maybe one database. */
        private final class Block {
            int syncSeconds = DEFAULT_SYNC_INTERVAL_SECONDS;
            EnableCache enableCache = EnableCache.AUTO;
            ConflictPolicy conflict = ConflictPolicy.NEWEST_WINS;
            MergeMode merge = MergeMode.ROW;
            Map<String, TableSettings> perTable = Map.of();
            MirrorMode mode = MirrorMode.READ_WRITE;
            Path cacheDirectory;
            Tuning tuning = Tuning.DEFAULTS;
            Entry single;
        }

        private Block readDefaultsBlock(NodeTuple tuple) {
            Block b = new Block();
            String path = "database";
            Map<String, NodeTuple> k = Map.of();
            if (tuple != null && !rejected.contains(tuple.getValueNode()) && !isNull(tuple.getValueNode())) {
                Node v = tuple.getValueNode();
                if (v instanceof MappingNode m) {
                    k = keys(m, path, DEFAULTS_BLOCK_KEYS, Run::defaultsBlockHint);
                } else {
                    problem(v, path, "found " + describe(v) + "; expected a mapping of settings such as"
                            + " `sync_interval: 30`");
                }
            }
            Integer sync = wholeNumber(k.get("sync_interval"), path, SyncInterval.MIN_SECONDS,
                    SyncInterval.MAX_SECONDS, "whole seconds");
            if (sync != null) {
                b.syncSeconds = sync;
            }
            EnableCache cache = enableCache(k.get("enable_cache"), path);
            if (cache != null) {
                b.enableCache = cache;
            }
            ConflictPolicy policy = conflict(k.get("conflict"), path);
            if (policy != null) {
                b.conflict = policy;
            }
            MergeMode merge = merge(k.get("merge"), path);
            if (merge != null) {
                b.merge = merge;
            }
            Map<String, TableSettings> perTable = perTable(k.get("per_table"), path);
            if (perTable != null) {
                b.perTable = perTable;
            }
            MirrorMode mode = mode(k.get("mode"), path);
            if (mode != null) {
                b.mode = mode;
            }
            b.cacheDirectory = cacheDirectory(k.get("cache_directory"), path);
            b.tuning = tuning(k, path);

            NodeTuple pathTuple = k.get("path");
            NodeTuple nameTuple = k.get("name");
            if (pathTuple != null) {
                Entry e = new Entry(path, pathTuple.getKeyNode());
                e.pathNode = pathTuple.getValueNode();
                e.location = location(pathTuple, path);
                e.rawPath = e.location == null ? null : text(pathTuple.getValueNode());
                if (nameTuple != null) {
                    e.name = name(nameTuple, path);
                    e.nameNode = nameTuple.getValueNode();
                } else if (e.rawPath != null) {
                    String stem = stem(e.rawPath);
                    if (validName(stem)) {
                        e.name = stem;
                    } else {
                        problem(pathTuple.getValueNode(), path + ".path", "the file name " + quote(stem)
                                + " cannot be used as the database name; add `name:` with a name of 1 to 64"
                                + " letters, digits, '_', '.' or '-'");
                    }
                    e.nameNode = pathTuple.getValueNode();
                }
                if (e.name != null && e.location != null) {
                    e.config = new DatabaseConfig(e.name, e.rawPath, e.location, Duration.ofSeconds(b.syncSeconds),
                            b.enableCache, policies(b.conflict, b.merge, Map.of(), b.perTable), b.mode, TableFilter.ALL);
                }
                b.single = e;
            } else if (nameTuple != null && !rejected.contains(nameTuple.getValueNode())) {
                problem(nameTuple.getKeyNode(), path + ".name", "`name` is only allowed together with `path`"
                        + " in the database: block; to name list entries use `databases:`");
            }
            return b;
        }

        private Tuning tuning(Map<String, NodeTuple> k, String path) {
            Tuning d = Tuning.DEFAULTS;
            Integer threads = wholeNumber(k.get("thread_pool_size"), path, 1, 256, "a whole number");
            Duration timeout = seconds(k.get("connection_timeout"), path, new BigDecimal(3600),
                    "seconds greater than 0 and at most 3600 (decimals allowed)");
            Integer retries = wholeNumber(k.get("max_retries"), path, 1, 20, "a whole number");
            Duration base = seconds(k.get("retry_base_delay"), path, new BigDecimal(600),
                    "seconds greater than 0 and at most 600 (decimals allowed)");
            Duration max = seconds(k.get("retry_max_delay"), path, new BigDecimal(600),
                    "seconds greater than 0 and at most 600, and not less than retry_base_delay");
            Integer pool = wholeNumber(k.get("connection_pool_size"), path, 1, 64, "a whole number");
            Duration poll = hubPollInterval(k.get("hub_poll_interval"), path);
            // Seconds ahead of the file server's clock that another desktop's stamp may move this replica's clock.
            Integer ahead = wholeNumber(k.get("max_clock_ahead"), path, 1, 86400, "whole seconds");

            boolean baseOk = k.get("retry_base_delay") == null || base != null;
            boolean maxOk = k.get("retry_max_delay") == null || max != null;
            Duration effectiveBase = base != null ? base : d.retryBaseDelay();
            Duration effectiveMax = max != null ? max : d.retryMaxDelay();
            if (baseOk && maxOk && effectiveMax.compareTo(effectiveBase) < 0) {
                NodeTuple maxTuple = k.get("retry_max_delay");
                if (maxTuple != null) {
                    problem(maxTuple.getValueNode(), join(path, "retry_max_delay"), quote(text(maxTuple.getValueNode()))
                            + " is less than retry_base_delay (" + secondsText(effectiveBase) + "); expected seconds"
                            + " from retry_base_delay to 600");
                } else {
                    NodeTuple baseTuple = k.get("retry_base_delay");
                    problem(baseTuple.getValueNode(), join(path, "retry_base_delay"), quote(text(baseTuple.getValueNode()))
                            + " is greater than retry_max_delay (" + secondsText(effectiveMax) + " by default); expected"
                            + " seconds up to retry_max_delay, or set retry_max_delay as well");
                }
            }
            return new Tuning(
                    threads != null ? threads : d.threadPoolSize(),
                    timeout != null ? timeout : d.connectionTimeout(),
                    retries != null ? retries : d.maxRetries(),
                    effectiveBase,
                    effectiveMax,
                    pool != null ? pool : d.connectionPoolSize(),
                    poll != null ? poll : d.hubPollInterval(),
                    ahead != null ? Duration.ofSeconds(ahead) : d.maxClockAhead());
        }

        /**
         * 0 switches the hub-change poll off. Below half a second a poll costs round trips on the share and gains
         * little: write-behind waits a second for local writes to settle anyway.
         */
        private Duration hubPollInterval(NodeTuple t, String path) {
            String expected = "0 (off) or seconds from 0.5 to 3600 (decimals allowed)";
            if (t != null && t.getValueNode() instanceof ScalarNode s && NUMBER.matcher(s.getValue().strip()).matches()
                    && new BigDecimal(s.getValue().strip()).signum() == 0) {
                return Duration.ZERO;
            }
            Duration poll = seconds(t, path, new BigDecimal(3600), expected);
            if (poll != null && poll.compareTo(Duration.ofMillis(500)) < 0) {
                problem(t.getValueNode(), join(path, key(t)), quote(text(t.getValueNode())) + " is too short; expected "
                        + expected);
                return null;
            }
            return poll;
        }

        private Path cacheDirectory(NodeTuple t, String path) {
            String where = join(path, "cache_directory");
            String raw = DEFAULT_CACHE_DIRECTORY;
            Node at = null;
            if (t != null) {
                raw = string(t, path, "a folder path");
                at = t.getValueNode();
                if (raw == null) {
                    return null;
                }
            }
            if (PathShape.of(raw) == PathShape.UNC) {
                problem(at, where, quote(raw) + " is a network path; expected a folder on a local disk");
                return null;
            }
            Path dir;
            try {
                dir = Path.of(resolve(raw, baseDir));
            } catch (InvalidPathException e) {
                problem(at, where, quote(raw) + " is not a valid path: " + e.getReason());
                return null;
            }
            if (!dir.isAbsolute()) {
                problem(at, where, quote(raw) + " is not a folder path this system can use; expected a local"
                        + " folder such as ~/.ims_cache");
                return null;
            }
            if (Files.exists(dir)) {
                if (!Files.isDirectory(dir)) {
                    problem(at, where, quote(raw) + " is a file (" + dir + "); expected a folder");
                } else if (!Files.isWritable(dir)) {
                    problem(at, where, quote(raw) + " is not writable (" + dir + "); expected a folder this"
                            + " user can write to");
                }
                return dir;
            }
            // Not there yet (the agent creates it): the nearest existing ancestor must be a writable folder.
            Path ancestor = dir.getParent();
            while (ancestor != null && !Files.exists(ancestor)) {
                ancestor = ancestor.getParent();
            }
            if (ancestor != null && !Files.isDirectory(ancestor)) {
                problem(at, where, quote(raw) + " cannot be created: " + ancestor + " is a file, not a folder");
            } else if (ancestor != null && !Files.isWritable(ancestor)) {
                problem(at, where, quote(raw) + " cannot be created: " + ancestor + " is not writable");
            }
            return dir;
        }

        // ---------------------------------------------------------------- the databases: list

        /** One database as it is read; {@code config} is set only when all of it is valid. */
        private static final class Entry {
            final String path;
            final Node node;
            String name;
            Node nameNode;
            String rawPath;
            String location;
            Node pathNode;
            DatabaseConfig config;

            Entry(String path, Node node) {
                this.path = path;
                this.node = node;
            }
        }

        private List<Entry> readEntries(NodeTuple tuple, Block defaults) {
            if (tuple == null || rejected.contains(tuple.getValueNode()) || isNull(tuple.getValueNode())) {
                return List.of();
            }
            Node v = tuple.getValueNode();
            if (!(v instanceof SequenceNode seq)) {
                problem(v, "databases", "found " + describe(v) + "; expected a list of databases, each starting"
                        + " with `- name:`");
                return List.of();
            }
            List<Entry> out = new ArrayList<>();
            List<Node> items = seq.getValue();
            for (int i = 0; i < items.size(); i++) {
                Node item = items.get(i);
                String path = "databases[" + i + "]";
                if (rejected.contains(item)) {
                    continue;
                }
                if (!(item instanceof MappingNode m)) {
                    problem(item, path, "found " + describe(item) + "; expected a database with `name:` and `path:`");
                    continue;
                }
                out.add(readEntry(m, path, defaults));
            }
            return out;
        }

        private Entry readEntry(MappingNode m, String path, Block defaults) {
            Entry e = new Entry(path, m);
            Map<String, NodeTuple> k = keys(m, path, ENTRY_KEYS, Run::entryHint);
            NodeTuple nameTuple = k.get("name");
            if (nameTuple == null) {
                problem(m, path, "missing `name:`; every database needs a name (it becomes the file name <name>.db)");
            } else {
                e.name = name(nameTuple, path);
                e.nameNode = nameTuple.getValueNode();
            }
            NodeTuple pathTuple = k.get("path");
            if (pathTuple == null) {
                problem(m, path, "missing `path:`; expected the database file on the share, like"
                        + " \\\\server\\share\\app.db or a mount path");
            } else {
                e.location = location(pathTuple, path);
                e.rawPath = e.location == null ? null : text(pathTuple.getValueNode());
                e.pathNode = pathTuple.getValueNode();
            }
            Integer sync = wholeNumber(k.get("sync_interval"), path, SyncInterval.MIN_SECONDS,
                    SyncInterval.MAX_SECONDS, "whole seconds");
            EnableCache cache = enableCache(k.get("enable_cache"), path);
            ConflictPolicy policy = conflict(k.get("conflict"), path);
            MergeMode merge = merge(k.get("merge"), path);
            Map<String, TableSettings> perTable = perTable(k.get("per_table"), path);
            MirrorMode mode = mode(k.get("mode"), path);
            TableFilter tables = tables(k.get("tables"), path);
            boolean valuesOk = (k.get("sync_interval") == null || sync != null)
                    && (k.get("enable_cache") == null || cache != null)
                    && (k.get("conflict") == null || policy != null)
                    && (k.get("merge") == null || merge != null)
                    && perTable != null
                    && (k.get("mode") == null || mode != null)
                    && tables != null;
            if (valuesOk && e.name != null && e.location != null) {
                e.config = new DatabaseConfig(e.name, e.rawPath, e.location,
                        Duration.ofSeconds(sync != null ? sync : defaults.syncSeconds),
                        cache != null ? cache : defaults.enableCache,
                        policies(policy != null ? policy : defaults.conflict, merge != null ? merge : defaults.merge,
                                defaults.perTable, perTable),
                        mode != null ? mode : defaults.mode,
                        tables);
            }
            return e;
        }

        private TableFilter tables(NodeTuple t, String path) {
            if (t == null || isNull(t.getValueNode())) {
                return TableFilter.ALL;
            }
            String where = join(path, "tables");
            Node v = t.getValueNode();
            if (rejected.contains(v)) {
                return null;
            }
            if (!(v instanceof MappingNode m)) {
                problem(v, where, "found " + describe(v) + "; expected a mapping with `include:` and/or `exclude:`"
                        + " lists of table names");
                return null;
            }
            int before = problems.size();
            Map<String, NodeTuple> k = keys(m, where, TABLES_KEYS, key -> "");
            Map<String, Node> included = new HashMap<>();
            List<String> include = tableNames(k.get("include"), where, included, null);
            List<String> exclude = tableNames(k.get("exclude"), where, new HashMap<>(), included);
            if (problems.size() > before || include == null || exclude == null) {
                return null;
            }
            return new TableFilter(include, exclude);
        }

        /** Reads a list of table names; reports repeats, and names also found in {@code included} when given. */
        private List<String> tableNames(NodeTuple t, String path, Map<String, Node> seen, Map<String, Node> included) {
            if (t == null || isNull(t.getValueNode())) {
                return List.of();
            }
            String key = ((ScalarNode) t.getKeyNode()).getValue();
            String where = join(path, key);
            Node v = t.getValueNode();
            if (rejected.contains(v)) {
                return null;
            }
            if (!(v instanceof SequenceNode seq)) {
                problem(v, where, "found " + describe(v) + "; expected a list of table names, like [Artist, Album]");
                return null;
            }
            List<String> names = new ArrayList<>();
            List<Node> items = seq.getValue();
            for (int i = 0; i < items.size(); i++) {
                Node item = items.get(i);
                String itemPath = where + "[" + i + "]";
                if (rejected.contains(item)) {
                    continue;
                }
                String name = scalarText(item, itemPath, "a table name");
                if (name == null) {
                    continue;
                }
                String folded = name.toLowerCase(Locale.ROOT);
                Node first = seen.putIfAbsent(folded, item);
                if (first != null) {
                    problem(item, itemPath, quote(name) + " is listed twice in " + key + " (also on line "
                            + line(first) + "); table names are compared ignoring case");
                    continue;
                }
                if (included != null && included.containsKey(folded)) {
                    problem(item, itemPath, quote(name) + " is both included (line " + line(included.get(folded))
                            + ") and excluded; remove it from one of the lists");
                    continue;
                }
                if (included == null && (folded.startsWith("sqlite_") || folded.startsWith("_sm_"))) {
                    problem(item, itemPath, quote(name) + " is an internal table; expected a user table name"
                            + " (sqlite_* and _sm_* tables are never mirrored)");
                    continue;
                }
                names.add(name);
            }
            return names;
        }

        /**
         * A table's own {@code conflict:} and {@code merge:} as written under {@code per_table:}; null where the table
         * takes the database's.
         */
        private record TableSettings(String table, ConflictPolicy conflict, MergeMode merge) {
        }

        /**
         * Each table's policy: its own settings (from the entry's {@code per_table:}, else from the block's), and where
         * it sets nothing, the database's.
         */
        private static TablePolicies policies(ConflictPolicy conflict, MergeMode merge,
                                              Map<String, TableSettings> inherited, Map<String, TableSettings> own) {
            Map<String, TableSettings> settings = new LinkedHashMap<>(inherited);
            settings.putAll(own);
            Map<String, TablePolicy> tables = new LinkedHashMap<>();
            settings.values().forEach(t -> tables.put(t.table(), new TablePolicy(
                    t.conflict() != null ? t.conflict() : conflict, t.merge() != null ? t.merge() : merge)));
            return new TablePolicies(new TablePolicy(conflict, merge), tables);
        }

        /**
         * {@code per_table:}, a mapping from table names to {@code conflict:} and/or {@code merge:}, by name folded to
         * lower case; null after reporting a problem. A table that does not exist is allowed: it may be made later.
         */
        private Map<String, TableSettings> perTable(NodeTuple t, String path) {
            if (t == null || isNull(t.getValueNode())) {
                return Map.of();
            }
            String where = join(path, "per_table");
            Node v = t.getValueNode();
            if (rejected.contains(v)) {
                return null;
            }
            String expected = "expected table names, each with `conflict:` and/or `merge:`, like"
                    + " `stock_move: {conflict: hub-wins, merge: row}`";
            if (!(v instanceof MappingNode m)) {
                problem(v, where, "found " + describe(v) + "; " + expected);
                return null;
            }
            int before = problems.size();
            Map<String, TableSettings> tables = new LinkedHashMap<>();
            Map<String, Node> seen = new HashMap<>();
            for (NodeTuple entry : m.getValue()) {
                Node nameNode = entry.getKeyNode();
                String name = rejected.contains(nameNode) ? null : scalarText(nameNode, where, "a table name");
                if (name == null) {
                    continue;
                }
                String tablePath = join(where, name);
                String folded = name.toLowerCase(Locale.ROOT);
                Node first = seen.putIfAbsent(folded, nameNode);
                if (first != null) {
                    problem(nameNode, tablePath, quote(name) + " is configured twice (also on line " + line(first)
                            + "); table names are compared ignoring case");
                } else if (folded.startsWith("sqlite_") || folded.startsWith("_sm_")) {
                    problem(nameNode, tablePath, quote(name) + " is an internal table; expected a user table name"
                            + " (sqlite_* and _sm_* tables are never mirrored)");
                } else {
                    TableSettings settings = tableSettings(name, entry.getValueNode(), tablePath);
                    if (settings != null) {
                        tables.put(folded, settings);
                    }
                }
            }
            return problems.size() > before ? null : tables;
        }

        private TableSettings tableSettings(String table, Node v, String path) {
            if (rejected.contains(v)) {
                return null;
            }
            String expected = "expected `conflict:` (" + String.join(", ", Arrays.stream(ConflictPolicy.values())
                    .map(ConflictPolicy::configName).toList()) + ") and/or `merge:` (" + String.join(", ",
                    Arrays.stream(MergeMode.values()).map(MergeMode::configName).toList()) + ")";
            if (!(v instanceof MappingNode m) || m.getValue().isEmpty()) {
                problem(v, path, (v instanceof MappingNode || isNull(v) ? "is empty" : "found " + describe(v)) + "; "
                        + expected);
                return null;
            }
            Map<String, NodeTuple> k = keys(m, path, TABLE_POLICY_KEYS, key -> "");
            return new TableSettings(table, conflict(k.get("conflict"), path), merge(k.get("merge"), path));
        }

        // ---------------------------------------------------------------- cross-entry checks

        private void checkUnique(List<Entry> entries) {
            Map<String, Entry> names = new HashMap<>();
            Map<String, Entry> hubs = new HashMap<>();
            for (Entry e : entries) {
                if (e.name != null) {
                    Entry first = names.putIfAbsent(e.name.toLowerCase(Locale.ROOT), e);
                    if (first != null) {
                        problem(e.nameNode, e.path + ".name", quote(e.name) + " is already used by " + first.path
                                + " (line " + line(first.nameNode) + "); names must differ ignoring case because"
                                + " each becomes a file <name>.db");
                    }
                }
                if (e.location != null) {
                    Entry first = hubs.putIfAbsent(hubKey(e.location), e);
                    if (first != null) {
                        Node at = e.pathNode != null ? e.pathNode : e.node;
                        problem(at, e.path + ".path", quote(e.rawPath) + " is the same database file as "
                                + first.path + " (" + quote(first.rawPath) + ", line " + line(first.pathNode != null
                                ? first.pathNode : first.node) + "); list each database once");
                    }
                }
            }
        }

        // ---------------------------------------------------------------- single values

        private String name(NodeTuple t, String path) {
            String name = string(t, path, "a database name");
            if (name == null) {
                return null;
            }
            String where = join(path, "name");
            if (!NAME.matcher(name).matches()) {
                problem(t.getValueNode(), where, quote(name) + " is not a valid name; " + NAME_RULE);
                return null;
            }
            if (RESERVED_NAME.matcher(name).matches()) {
                problem(t.getValueNode(), where, quote(name) + " is a reserved name"
                        + (name.equalsIgnoreCase("state") ? " (the cache folder's state.db belongs to ShareMirror)"
                        : " on Windows") + "; choose another name");
                return null;
            }
            return name;
        }

        private static boolean validName(String name) {
            return NAME.matcher(name).matches() && !RESERVED_NAME.matcher(name).matches();
        }

        /** The location to open for the {@code path} key of {@code tuple}, or null after reporting a problem. */
        private String location(NodeTuple t, String path) {
            String raw = string(t, path, "the database file on the share, like \\\\server\\share\\app.db");
            if (raw == null) {
                return null;
            }
            String where = join(path, "path");
            Node at = t.getValueNode();
            String location;
            try {
                location = resolve(raw, baseDir);
            } catch (InvalidPathException e) {
                problem(at, where, quote(raw) + " is not a valid path: " + e.getReason());
                return null;
            }
            if (PathShape.of(location) != PathShape.UNC) {
                try {
                    Path p = Path.of(location);
                    if (p.isAbsolute() && Files.isDirectory(p)) {
                        problem(at, where, quote(raw) + " is a folder; expected an SQLite database file");
                        return null;
                    }
                } catch (InvalidPathException | SecurityException e) {
                    // kept as written; opening it will report the problem
                }
            }
            return location;
        }

        private EnableCache enableCache(NodeTuple t, String path) {
            return choice(t, path, "allowed", List.of(EnableCache.values()), c -> c.name().toLowerCase(Locale.ROOT));
        }

        private ConflictPolicy conflict(NodeTuple t, String path) {
            return choice(t, path, "a conflict policy", List.of(ConflictPolicy.values()), ConflictPolicy::configName);
        }

        private MergeMode merge(NodeTuple t, String path) {
            return choice(t, path, "a merge mode", List.of(MergeMode.values()), MergeMode::configName);
        }

        private MirrorMode mode(NodeTuple t, String path) {
            return choice(t, path, "a mode", List.of(MirrorMode.values()), MirrorMode::configName);
        }

        /**
         * One of {@code values}, written as {@code spelling} gives it (ignoring case); null when absent, or after
         * reporting {@code "x" is not <what>; expected one of: ...} with a suggestion for a near miss.
         */
        private <T> T choice(NodeTuple t, String path, String what, List<T> values, Function<T, String> spelling) {
            if (t == null) {
                return null;
            }
            String where = join(path, key(t));
            Node v = t.getValueNode();
            if (rejected.contains(v)) {
                return null;
            }
            List<String> names = values.stream().map(spelling).toList();
            String allowed = "expected one of: " + String.join(", ", names);
            if (!(v instanceof ScalarNode s) || isNull(v)) {
                problem(v, where, "found " + describe(v) + "; " + allowed);
                return null;
            }
            String value = s.getValue().strip();
            int index = names.indexOf(value.toLowerCase(Locale.ROOT));
            if (index < 0) {
                problem(v, where, quote(s.getValue()) + " is not " + what + "; " + allowed + didYouMean(value, names));
                return null;
            }
            return values.get(index);
        }

        /** A whole number in [min, max], or null (absent, or a problem was reported). */
        private Integer wholeNumber(NodeTuple t, String path, int min, int max, String unit) {
            if (t == null) {
                return null;
            }
            String where = join(path, key(t));
            String expected = "expected " + unit + " from " + min + " to " + max;
            BigDecimal v = number(t.getValueNode(), where, expected);
            if (v == null) {
                return null;
            }
            if (v.signum() != 0 && v.stripTrailingZeros().scale() > 0) {
                problem(t.getValueNode(), where, quote(text(t.getValueNode())) + " is not a whole number; " + expected);
                return null;
            }
            if (v.compareTo(BigDecimal.valueOf(min)) < 0 || v.compareTo(BigDecimal.valueOf(max)) > 0) {
                problem(t.getValueNode(), where, quote(text(t.getValueNode())) + " is out of range; " + expected);
                return null;
            }
            return v.intValueExact();
        }

        /** Seconds greater than 0 and at most {@code max}, to the millisecond; null when absent or invalid. */
        private Duration seconds(NodeTuple t, String path, BigDecimal max, String expectedText) {
            if (t == null) {
                return null;
            }
            String where = join(path, key(t));
            String expected = "expected " + expectedText;
            BigDecimal v = number(t.getValueNode(), where, expected);
            if (v == null) {
                return null;
            }
            if (v.signum() <= 0 || v.compareTo(max) > 0) {
                problem(t.getValueNode(), where, quote(text(t.getValueNode())) + " is out of range; " + expected);
                return null;
            }
            long ms = v.movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact();
            if (ms < 1) {
                problem(t.getValueNode(), where, quote(text(t.getValueNode())) + " is too small; the smallest"
                        + " value is 0.001 (one millisecond)");
                return null;
            }
            return Duration.ofMillis(ms);
        }

        private BigDecimal number(Node v, String where, String expected) {
            if (rejected.contains(v)) {
                return null;
            }
            if (!(v instanceof ScalarNode s)) {
                problem(v, where, "found " + describe(v) + ", not a number; " + expected);
                return null;
            }
            if (isNull(v)) {
                problem(v, where, "is empty; " + expected);
                return null;
            }
            String text = s.getValue().strip();
            if (!NUMBER.matcher(text).matches()) {
                problem(v, where, quote(s.getValue()) + " is not a number; " + expected);
                return null;
            }
            return new BigDecimal(text);
        }

        /** Non-empty text of a scalar value; null after reporting a problem. */
        private String string(NodeTuple t, String path, String what) {
            return scalarText(t.getValueNode(), join(path, key(t)), what);
        }

        private String scalarText(Node v, String where, String what) {
            if (rejected.contains(v)) {
                return null;
            }
            if (!(v instanceof ScalarNode s)) {
                problem(v, where, "found " + describe(v) + "; expected " + what);
                return null;
            }
            String value = isNull(v) ? "" : s.getValue().strip();
            if (value.isEmpty()) {
                problem(v, where, "is empty; expected " + what);
                return null;
            }
            return value;
        }

        // ---------------------------------------------------------------- mappings and tags

        /**
         * The entries of a mapping by key name. Unknown keys, repeated keys and keys that are not plain
         * names are reported; {@code hint} may add advice for a particular unknown key.
         */
        private Map<String, NodeTuple> keys(MappingNode m, String path, List<String> allowed,
                Function<String, String> hint) {
            Map<String, NodeTuple> out = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                Node keyNode = t.getKeyNode();
                if (rejected.contains(keyNode)) {
                    continue;
                }
                if (Tag.MERGE.equals(keyNode.getTag())) {
                    problem(keyNode, path, "merge keys (<<) are not supported; write the settings out in full");
                    continue;
                }
                if (!(keyNode instanceof ScalarNode ks)) {
                    problem(keyNode, path, "found " + describe(keyNode) + " as a key; expected one of: "
                            + String.join(", ", allowed));
                    continue;
                }
                String key = ks.getValue();
                String where = join(path, key);
                NodeTuple first = out.get(key);
                if (first != null) {
                    problem(keyNode, where, "duplicate key " + quote(key) + "; it is already set on line "
                            + line(first.getKeyNode()));
                    continue;
                }
                if (!allowed.contains(key)) {
                    String extra = hint.apply(key);
                    String msg = "unknown key " + quote(key) + (extra.isEmpty() ? didYouMean(key, allowed) : extra)
                            + "; allowed keys here: " + String.join(", ", allowed);
                    problem(keyNode, where, msg);
                    // remember it so that a repeat is still reported as a duplicate
                    out.put(key, t);
                    continue;
                }
                out.put(key, t);
            }
            out.keySet().retainAll(allowed);
            return out;
        }

        private static String topLevelHint(String key) {
            if (key.equals("tuning")) {
                return "; tuning settings (" + String.join(", ", TUNING_KEYS) + ") go in the `database:` block";
            }
            if (DEFAULTS_BLOCK_KEYS.contains(key)) {
                return "; did you mean database." + key + "? (it goes inside the `database:` block)";
            }
            return "";
        }

        private static String defaultsBlockHint(String key) {
            if (key.equals("tables")) {
                return "; `tables` is set per database in the `databases:` list";
            }
            return "";
        }

        private static String entryHint(String key) {
            if (key.equals("cache_directory") || TUNING_KEYS.contains(key)) {
                return "; " + key + " applies to all databases, so set it in the `database:` block";
            }
            return "";
        }

        /** Reports every node whose tag is not a plain YAML type, and marks it for the walk to skip. */
        private void scanTags(Node n, String path, Set<Node> visited) {
            if (!visited.add(n)) {
                return;
            }
            Tag tag = n.getTag();
            if (!PLAIN_TAGS.contains(tag) && !(Tag.MERGE.equals(tag) && n instanceof ScalarNode)) {
                problem(n, path, tagMessage(tag.getValue()));
                rejected.add(n);
                return;
            }
            if (n instanceof MappingNode m) {
                for (NodeTuple t : m.getValue()) {
                    Node k = t.getKeyNode();
                    scanTags(k, path, visited);
                    String key = k instanceof ScalarNode s ? s.getValue() : "?";
                    if (rejected.contains(k)) {
                        rejected.add(t.getValueNode());
                    } else {
                        scanTags(t.getValueNode(), join(path, key), visited);
                    }
                }
            } else if (n instanceof SequenceNode s) {
                List<Node> items = s.getValue();
                for (int i = 0; i < items.size(); i++) {
                    scanTags(items.get(i), path + "[" + i + "]", visited);
                }
            }
        }

        private static String tagMessage(String tag) {
            String shown = tag.startsWith(Tag.PREFIX) ? "!!" + tag.substring(Tag.PREFIX.length()) : tag;
            return "tag " + shown + " is not allowed; only plain text, numbers, true/false, lists and mappings"
                    + " are accepted";
        }

        // ---------------------------------------------------------------- helpers

        private void problem(Node at, String path, String message) {
            problems.add(new Problem(file, line(at), path, message));
        }

        private ConfigException done() {
            List<Problem> sorted = new ArrayList<>(problems);
            sorted.sort(Comparator.comparingInt(Problem::line));
            return new ConfigException(sorted);
        }

        private static int line(Node n) {
            return n == null || n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
        }

        private static String key(NodeTuple t) {
            return ((ScalarNode) t.getKeyNode()).getValue();
        }

        private static String text(Node n) {
            return n instanceof ScalarNode s ? s.getValue().strip() : "";
        }

        private static boolean isNull(Node n) {
            return Tag.NULL.equals(n.getTag());
        }

        private static String join(String path, String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        private static String describe(Node n) {
            if (n instanceof SequenceNode) {
                return "a list";
            }
            if (n instanceof MappingNode) {
                return "a mapping";
            }
            if (isNull(n)) {
                return "an empty value";
            }
            return quote(((ScalarNode) n).getValue());
        }
    }

    // -------------------------------------------------------------------- shared helpers

    /**
     * A database path as the config file's {@code path} turns into a location: {@code ~} expanded, relative POSIX paths
     * resolved against {@code baseDir}; UNC and drive-letter paths as written. The JDBC driver resolves its URLs'
     * paths the same way, against the current folder.
     */
    public static String resolve(String path, Path baseDir) {
        PathShape shape = PathShape.of(path);
        if (shape.windows()) {
            return path;
        }
        if (shape == PathShape.HOME) {
            return Path.of(System.getProperty("user.home")).resolve(path.substring(Math.min(2, path.length())))
                    .toAbsolutePath().normalize().toString();
        }
        Path p = Path.of(path);
        return (p.isAbsolute() ? p : baseDir.resolve(p)).normalize().toString();
    }

    /** A key that is equal for two locations naming the same file. */
    static String hubKey(String location) {
        if (PathShape.of(location).windows()) {
            return PathShape.windowsKey(location);
        }
        Path p = Path.of(location);
        try {
            if (Files.exists(p)) {
                return p.toRealPath().toString();
            }
        } catch (IOException | SecurityException e) {
            // fall through to the normalized path
        }
        return p.toString();
    }

    /** The file name of a path written with / or \, without its last extension. */
    static String stem(String path) {
        String s = path;
        int cut = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
        s = s.substring(cut + 1);
        int dot = s.lastIndexOf('.');
        return dot > 0 ? s.substring(0, dot) : s;
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static String secondsText(Duration d) {
        return BigDecimal.valueOf(d.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString();
    }

    /** {@code " (did you mean "x"?)"} when one candidate is within edit distance 2, else empty. */
    public static String didYouMean(String key, List<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String k = key.toLowerCase(Locale.ROOT);
        for (String c : candidates) {
            int d = editDistance(k, c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= 2 && !best.equals(key) ? " (did you mean " + quote(best) + "?)" : "";
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }
}
