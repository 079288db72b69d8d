package io.sharemirror.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.NodeTuple;

/**
 * One setting of the config file, declared once: its key, how its value is read (which checks it, and says what is
 * allowed when it is wrong), its default, and how a {@code databases:} entry's own value combines with the one it
 * inherits from the {@code database:} block (most replace it).
 */
record Setting<T>(String key, Reader<T> reader, T fallback, BinaryOperator<T> inherit) {

    /** Reads a setting's value; null after reporting what is wrong and what is allowed. */
    @FunctionalInterface
    interface Reader<T> {
        T read(NodeReader nodes, NodeTuple tuple, String path);
    }

    /** A setting whose own value replaces the inherited one. */
    static <T> Setting<T> of(String key, Reader<T> reader, T fallback) {
        return new Setting<>(key, reader, fallback, (inherited, own) -> own);
    }

    /** A whole number from {@code min} to {@code max}; {@code unit} as in "expected a whole number from 1 to 20". */
    static Setting<Integer> wholeNumber(String key, int min, int max, String unit, int fallback) {
        return of(key, (nodes, t, path) -> nodes.wholeNumber(t, path, min, max, unit), fallback);
    }

    /** Whole seconds from {@code min} to {@code max}. */
    static Setting<Duration> wholeSeconds(String key, int min, int max, Duration fallback) {
        return of(key, (nodes, t, path) -> {
            Integer seconds = nodes.wholeNumber(t, path, min, max, "whole seconds");
            return seconds == null ? null : Duration.ofSeconds(seconds);
        }, fallback);
    }

    /** Seconds greater than 0 and at most {@code max}, decimals allowed; {@code expected} says so in words. */
    static Setting<Duration> seconds(String key, int max, String expected, Duration fallback) {
        return of(key, (nodes, t, path) -> nodes.seconds(t, path, BigDecimal.valueOf(max), expected), fallback);
    }

    /** One of {@code values} as {@code spelling} writes them, ignoring case; {@code what} as in "is not a mode". */
    static <E> Setting<E> choice(String key, String what, E[] values, Function<E, String> spelling, E fallback) {
        return of(key, (nodes, t, path) -> nodes.choice(t, path, what, List.of(values), spelling), fallback);
    }

    /** This setting's value in the mapping {@code keys} at {@code path}: null when it is absent, or wrong. */
    T read(NodeReader nodes, Map<String, NodeTuple> keys, String path) {
        NodeTuple t = keys.get(key);
        return t == null ? null : reader.read(nodes, t, path);
    }

    static List<String> keys(List<Setting<?>> settings) {
        return settings.stream().map(Setting::key).toList();
    }
}
