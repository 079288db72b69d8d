package io.sharemirror.config;

import static io.sharemirror.config.ConfigLoader.quote;

import io.sharemirror.paths.PathShape;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a parsed config file is checked for on disk, after parsing: the cache folder can be used, no database path is a
 * folder, and no two databases are the same file, or the same database of one PostgreSQL server (which is not looked
 * at: only its URL is compared). Problems go to the same list as the parse's, on the lines they concern.
 */
final class DiskChecks {

    private final NodeReader nodes;

    private DiskChecks(NodeReader nodes) {
        this.nodes = nodes;
    }

    static void check(ConfigReader.Parsed parsed, NodeReader nodes) {
        DiskChecks checks = new DiskChecks(nodes);
        checks.cacheDirectory(parsed.cacheDirectory());
        List<ParsedDatabase> hubs = new ArrayList<>();
        for (ParsedDatabase d : parsed.databases()) {
            if (d.location != null && !checks.isFolder(d)) {
                hubs.add(d);
            }
        }
        checks.eachHubOnce(hubs);
    }

    /** The cache folder is a writable folder, or can be made: its nearest existing ancestor is one. */
    private void cacheDirectory(GlobalSettings.CacheDirectory cache) {
        Path dir = cache.folder();
        if (dir == null) {
            return;
        }
        String where = NodeReader.join("database", GlobalSettings.CACHE_DIRECTORY);
        String raw = quote(cache.raw());
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                nodes.problem(cache.node(), where, raw + " is a file (" + dir + "); expected a folder");
            } else if (!Files.isWritable(dir)) {
                nodes.problem(cache.node(), where, raw + " is not writable (" + dir + "); expected a folder this user"
                        + " can write to");
            }
            return;
        }
        Path ancestor = dir.getParent();
        while (ancestor != null && !Files.exists(ancestor)) {
            ancestor = ancestor.getParent();
        }
        if (ancestor != null && !Files.isDirectory(ancestor)) {
            nodes.problem(cache.node(), where, raw + " cannot be created: " + ancestor + " is a file, not a folder");
        } else if (ancestor != null && !Files.isWritable(ancestor)) {
            nodes.problem(cache.node(), where, raw + " cannot be created: " + ancestor + " is not writable");
        }
    }

    /**
     * Reports a database path that is a folder here; a UNC path is not looked at, nor a PostgreSQL URL, nor one this
     * system cannot read.
     */
    private boolean isFolder(ParsedDatabase d) {
        PathShape shape = PathShape.of(d.location);
        if (shape == PathShape.UNC || shape == PathShape.POSTGRES) {
            return false;
        }
        try {
            Path p = Path.of(d.location);
            if (p.isAbsolute() && Files.isDirectory(p)) {
                nodes.problem(d.pathNode, NodeReader.join(d.yamlPath, "path"), quote(d.rawPath) + " is a folder;"
                        + " expected an SQLite database file");
                return true;
            }
        } catch (InvalidPathException | SecurityException e) {
            // kept as written; opening it will report the problem
        }
        return false;
    }

    private void eachHubOnce(List<ParsedDatabase> databases) {
        Map<String, ParsedDatabase> hubs = new HashMap<>();
        for (ParsedDatabase d : databases) {
            String key = d.postgres != null ? d.postgres.databaseKey() : SameFile.key(d.location);
            ParsedDatabase first = hubs.putIfAbsent(key, d);
            if (first != null) {
                nodes.problem(d.pathOrEntry(), d.yamlPath + ".path", quote(d.rawPath) + " is the same "
                        + (d.postgres != null ? "PostgreSQL database" : "database file")
                        + " as " + first.yamlPath + " (" + quote(first.rawPath) + ", line "
                        + NodeReader.line(first.pathOrEntry()) + "); list each database once");
            }
        }
    }
}
