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
 * folder, and no two databases are the same file. Problems go to the same list as the parse's, on the lines they
 * concern.
 */
final class DiskChecks {

    private final NodeReader nodes;

    private DiskChecks(NodeReader nodes) {
        this.nodes = nodes;
    }

    static void check(ConfigReader.Parsed parsed, NodeReader nodes) {
        DiskChecks checks = new DiskChecks(nodes);
        checks.cacheDirectory(parsed.cacheDirectory());
        List<ParsedDatabase> files = new ArrayList<>();
        for (ParsedDatabase d : parsed.databases()) {
            if (d.location != null && !checks.isFolder(d)) {
                files.add(d);
            }
        }
        checks.eachFileOnce(files);
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

    /** Reports a database path that is a folder here; a UNC path is not looked at, nor one this system cannot read. */
    private boolean isFolder(ParsedDatabase d) {
        if (PathShape.of(d.location) == PathShape.UNC) {
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

    private void eachFileOnce(List<ParsedDatabase> databases) {
        Map<String, ParsedDatabase> files = new HashMap<>();
        for (ParsedDatabase d : databases) {
            ParsedDatabase first = files.putIfAbsent(SameFile.key(d.location), d);
            if (first != null) {
                nodes.problem(d.pathOrEntry(), d.yamlPath + ".path", quote(d.rawPath) + " is the same database file"
                        + " as " + first.yamlPath + " (" + quote(first.rawPath) + ", line "
                        + NodeReader.line(first.pathOrEntry()) + "); list each database once");
            }
        }
    }
}
