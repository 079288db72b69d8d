package io.sharemirror.config;

import io.sharemirror.paths.PathShape;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads {@code config.yaml} into an {@link AppConfig}: the text is composed into nodes ({@link PlainYaml}),
 * walked ({@link ConfigReader}, with the settings {@link DatabaseSettings} and {@link GlobalSettings} declare), then
 * checked on disk ({@link DiskChecks}). Every problem in the file is collected in one pass and thrown together as a
 * {@link ConfigException}; a configuration is either returned whole or not at all.
 *
 * <p>Also the wording every config message shares: {@link #quote} and {@link #didYouMean}.
 */
public final class ConfigLoader {

    /** Largest config file read, in bytes and in code points. */
    static final int MAX_SIZE = 1024 * 1024;

    private ConfigLoader() {
    }

    /** Reads and validates {@code file}; the returned configuration is complete, or a problem list is thrown. */
    public static AppConfig load(Path file) throws ConfigException {
        Path abs = file.toAbsolutePath().normalize();
        String text;
        try {
            if (Files.isDirectory(abs)) {
                throw ConfigException.wholeFile(abs, abs + " is a folder; expected a YAML file");
            }
            long size = Files.size(abs);
            if (size > MAX_SIZE) {
                throw ConfigException.wholeFile(abs, "file is too large (" + size + " bytes); a config file may be"
                        + " at most " + MAX_SIZE + " bytes");
            }
            text = Files.readString(abs, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw ConfigException.wholeFile(abs, "file not found: " + abs);
        } catch (AccessDeniedException e) {
            throw ConfigException.wholeFile(abs, "cannot read " + abs + ": permission denied");
        } catch (CharacterCodingException e) {
            throw ConfigException.wholeFile(abs, "file is not UTF-8 text; save it as UTF-8");
        } catch (IOException e) {
            throw ConfigException.wholeFile(abs, "cannot read " + abs + ": " + e.getMessage());
        }
        return parse(text, abs);
    }

    /**
     * Parses YAML text as if it had been read from {@code source}: problems name that file, and
     * relative paths are resolved against its folder. The file itself is not read.
     */
    public static AppConfig parse(String yamlText, Path source) throws ConfigException {
        Path file = source.toAbsolutePath().normalize();
        Path parent = file.getParent();
        Path baseDir = parent != null ? parent : file.getRoot();
        NodeReader nodes = new NodeReader(file);
        Node root = PlainYaml.compose(yamlText, file, nodes);
        ConfigReader.Parsed parsed = ConfigReader.read(root, nodes, baseDir);
        DiskChecks.check(parsed, nodes);
        if (nodes.problemCount() > 0) {
            throw nodes.failure();
        }
        return parsed.config(file);
    }

    /**
     * A database path as the config file's {@code path} turns into a location: {@code ~} expanded, relative POSIX paths
     * resolved against {@code baseDir}; UNC and drive-letter paths, and PostgreSQL URLs, as written. The JDBC driver
     * resolves its URLs' paths the same way, against the current folder.
     */
    public static String resolve(String path, Path baseDir) {
        PathShape shape = PathShape.of(path);
        if (shape.windows() || shape == PathShape.POSTGRES) {
            return path;
        }
        if (shape == PathShape.HOME) {
            return Path.of(System.getProperty("user.home")).resolve(path.substring(Math.min(2, path.length())))
                    .toAbsolutePath().normalize().toString();
        }
        Path p = Path.of(path);
        return (p.isAbsolute() ? p : baseDir.resolve(p)).normalize().toString();
    }

    /** {@code s} in double quotes, its quotes and control characters escaped: how a problem shows a value. */
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
}
