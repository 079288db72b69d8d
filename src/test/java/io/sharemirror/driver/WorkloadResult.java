package io.sharemirror.driver;

import java.util.Map;
import java.util.TreeMap;

/**
 * What an application's read-modify-write workload saw: its committed transactions, the errors that reached it (each
 * failed transaction was rolled back), by message, and how long each committed transaction took.
 */
public record WorkloadResult(int transactions, Map<String, Integer> errors, long[] latencyNanos) {

    public WorkloadResult {
        errors = new TreeMap<>(errors);
    }

    public int errorCount() {
        return errors.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The errors in one line, the commonest kind first, for a test's message or a benchmark note. */
    public String errorSummary() {
        return errors.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue())
                .map(e -> e.getValue() + " × " + e.getKey()).reduce((a, b) -> a + "; " + b).orElse("none");
    }
}
