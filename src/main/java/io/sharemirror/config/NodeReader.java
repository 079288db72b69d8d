package io.sharemirror.config;

import io.sharemirror.config.ConfigException.Problem;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads typed values out of SnakeYAML nodes and collects a problem for each one that is wrong, naming its line, its
 * key path ({@code databases[1].sync_interval}), what is wrong and what is allowed. A read that fails returns null, so
 * that the caller goes on and every problem of the file is reported at once.
 *
 * <p>Most reads take a {@link NodeTuple} and the path of the mapping it is in; the key is the tuple's own.
 */
final class NodeReader {

    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d{1,4})?");

    private final Path file;
    private final List<Problem> problems = new ArrayList<>();
    /** Nodes with a tag that is not allowed: already reported, skipped by every read. */
    private final Set<Node> rejected = Collections.newSetFromMap(new IdentityHashMap<>());

    NodeReader(Path file) {
        this.file = file;
    }

    // ---------------------------------------------------------------- problems

    void problem(Node at, String path, String message) {
        problems.add(new Problem(file, line(at), path, message));
    }

    /** Reports {@code n} and makes every later read skip it. */
    void reject(Node n, String path, String message) {
        problem(n, path, message);
        skip(n);
    }

    /** Makes every later read skip {@code n}, which a problem already reported covers. */
    void skip(Node n) {
        rejected.add(n);
    }

    boolean rejected(Node n) {
        return rejected.contains(n);
    }

    int problemCount() {
        return problems.size();
    }

    /** Every problem so far, in file order; those on one line in the order they were found. */
    ConfigException failure() {
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingInt(Problem::line));
        return new ConfigException(sorted);
    }

    // ---------------------------------------------------------------- mappings and lists

    /** {@code v} as a mapping; null when it was rejected, or after reporting "found (what it is); (expected)". */
    MappingNode mapping(Node v, String where, String expected) {
        return v instanceof MappingNode m && !rejected(v) ? m : wrongKind(v, where, expected);
    }

    /** {@code v} as a list; null when it was rejected, or after reporting "found (what it is); (expected)". */
    SequenceNode sequence(Node v, String where, String expected) {
        return v instanceof SequenceNode s && !rejected(v) ? s : wrongKind(v, where, expected);
    }

    private <T> T wrongKind(Node v, String where, String expected) {
        if (!rejected(v)) {
            problem(v, where, "found " + describe(v) + "; " + expected);
        }
        return null;
    }

    /**
     * The entries of a mapping by key name. Unknown keys, repeated keys and keys that are not plain names are reported;
     * {@code hint} may add advice for a particular unknown key, else a near miss is suggested.
     */
    Map<String, NodeTuple> keys(MappingNode m, String path, List<String> allowed, Function<String, String> hint) {
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            Node keyNode = t.getKeyNode();
            if (rejected(keyNode)) {
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
                problem(keyNode, where, "duplicate key " + ConfigLoader.quote(key) + "; it is already set on line "
                        + line(first.getKeyNode()));
                continue;
            }
            if (!allowed.contains(key)) {
                String extra = hint.apply(key);
                problem(keyNode, where, "unknown key " + ConfigLoader.quote(key)
                        + (extra.isEmpty() ? ConfigLoader.didYouMean(key, allowed) : extra)
                        + "; allowed keys here: " + String.join(", ", allowed));
            }
            // an unknown key is kept until the end, so that a repeat of it is still reported as a duplicate
            out.put(key, t);
        }
        out.keySet().retainAll(allowed);
        return out;
    }

    // ---------------------------------------------------------------- scalars

    /**
     * One of {@code values}, written as {@code spelling} gives it (ignoring case); null after reporting
     * {@code "x" is not <what>; expected one of: ...} with a suggestion for a near miss.
     */
    <T> T choice(NodeTuple t, String path, String what, List<T> values, Function<T, String> spelling) {
        String where = join(path, key(t));
        Node v = t.getValueNode();
        if (rejected(v)) {
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
            problem(v, where, ConfigLoader.quote(s.getValue()) + " is not " + what + "; " + allowed
                    + ConfigLoader.didYouMean(value, names));
            return null;
        }
        return values.get(index);
    }

    /** A whole number in [min, max]; {@code unit} says what it counts, as in "expected whole seconds from 1 to 60". */
    Integer wholeNumber(NodeTuple t, String path, int min, int max, String unit) {
        String where = join(path, key(t));
        String expected = "expected " + unit + " from " + min + " to " + max;
        BigDecimal v = number(t.getValueNode(), where, expected);
        if (v == null) {
            return null;
        }
        if (v.signum() != 0 && v.stripTrailingZeros().scale() > 0) {
            problem(t.getValueNode(), where, quoted(t) + " is not a whole number; " + expected);
            return null;
        }
        if (v.compareTo(BigDecimal.valueOf(min)) < 0 || v.compareTo(BigDecimal.valueOf(max)) > 0) {
            problem(t.getValueNode(), where, quoted(t) + " is out of range; " + expected);
            return null;
        }
        return v.intValueExact();
    }

    /** Seconds greater than 0 and at most {@code max}, to the millisecond; {@code expected} says that in words. */
    Duration seconds(NodeTuple t, String path, BigDecimal max, String expected) {
        String where = join(path, key(t));
        BigDecimal v = number(t.getValueNode(), where, "expected " + expected);
        if (v == null) {
            return null;
        }
        if (v.signum() <= 0 || v.compareTo(max) > 0) {
            problem(t.getValueNode(), where, quoted(t) + " is out of range; expected " + expected);
            return null;
        }
        long ms = v.movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact();
        if (ms < 1) {
            problem(t.getValueNode(), where, quoted(t) + " is too small; the smallest value is 0.001 (one"
                    + " millisecond)");
            return null;
        }
        return Duration.ofMillis(ms);
    }

    /** Whether the value is a number equal to zero, without reporting anything. */
    static boolean isZero(Node v) {
        return v instanceof ScalarNode s && NUMBER.matcher(s.getValue().strip()).matches()
                && new BigDecimal(s.getValue().strip()).signum() == 0;
    }

    private BigDecimal number(Node v, String where, String expected) {
        if (rejected(v)) {
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
            problem(v, where, ConfigLoader.quote(s.getValue()) + " is not a number; " + expected);
            return null;
        }
        return new BigDecimal(text);
    }

    /** Non-empty text of the tuple's value; {@code what} names what was expected, as in "a database name". */
    String string(NodeTuple t, String path, String what) {
        return scalarText(t.getValueNode(), join(path, key(t)), what);
    }

    /** Non-empty text of a scalar node at {@code where}. */
    String scalarText(Node v, String where, String what) {
        if (rejected(v)) {
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

    // ---------------------------------------------------------------- nodes

    static int line(Node n) {
        return n == null || n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
    }

    static String key(NodeTuple t) {
        return ((ScalarNode) t.getKeyNode()).getValue();
    }

    /** The stripped text of a scalar, empty for anything else. */
    static String text(Node n) {
        return n instanceof ScalarNode s ? s.getValue().strip() : "";
    }

    /** The value of {@code t} as written, quoted, as problems show it. */
    static String quoted(NodeTuple t) {
        return ConfigLoader.quote(text(t.getValueNode()));
    }

    static boolean isNull(Node n) {
        return Tag.NULL.equals(n.getTag());
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** What a node is, for "found ...": a list, a mapping, an empty value, or its quoted text. */
    static String describe(Node n) {
        if (n instanceof SequenceNode) {
            return "a list";
        }
        if (n instanceof MappingNode) {
            return "a mapping";
        }
        if (isNull(n)) {
            return "an empty value";
        }
        return ConfigLoader.quote(((ScalarNode) n).getValue());
    }
}
