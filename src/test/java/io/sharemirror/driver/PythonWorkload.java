package io.sharemirror.driver;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A Python program's read-modify-write transactions on the replica's path, run by Debian's {@code /usr/bin/python3}
 * (with its sqlite3 module and SQLAlchemy 1.4): {@code read_modify_write.py} next to this class, whose comment lists
 * the modes, from Python's default transaction handling to an SQLAlchemy session that begins {@code BEGIN IMMEDIATE}.
 */
public final class PythonWorkload {

    public static final Path PYTHON = Path.of("/usr/bin/python3");

    private PythonWorkload() {
    }

    /** Runs {@code threads} Python threads in one process for {@code length}, each on its own connection. */
    public static WorkloadResult run(Path database, String mode, Duration length, int threads, long firstKey,
                                     long lastKey, Duration think) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PYTHON.toString(), script().toString(), database.toString(), mode,
                Double.toString(length.toMillis() / 1000.0), Integer.toString(threads), Long.toString(firstKey),
                Long.toString(lastKey), Double.toString(think.toNanos() / 1e6)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(length.toSeconds() + 120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("the Python workload (" + mode + ") failed:\n" + out);
        }
        int transactions = -1;
        Map<String, Integer> errors = new HashMap<>();
        List<Long> latencies = new ArrayList<>();
        for (String line : out.lines().toList()) {
            String[] words = line.split(" ", 3);
            switch (words[0]) {
                case "transactions" -> transactions = Integer.parseInt(words[1]);
                case "error" -> errors.merge(words[2], Integer.parseInt(words[1]), Integer::sum);
                case "latency_us" -> {
                    String[] micros = line.split(" ");
                    for (int i = 1; i < micros.length; i++) {
                        latencies.add(Long.parseLong(micros[i]) * 1000);
                    }
                }
                default -> throw new IllegalStateException("unexpected output of the Python workload: " + line);
            }
        }
        if (transactions < 0) {
            throw new IllegalStateException("the Python workload printed no count:\n" + out);
        }
        return new WorkloadResult(transactions, errors, latencies.stream().mapToLong(Long::longValue).toArray());
    }

    private static Path script() throws IOException {
        try {
            return Path.of(Objects.requireNonNull(PythonWorkload.class.getResource("read_modify_write.py")).toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }
}
