package io.sharemirror.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What one benchmark run measures with: the share's latency, the data sizes and the repetitions. The defaults are the
 * issue's (5 ms per share operation, 100k bulk rows, 10k pushed rows, 1 MB and 200 MB hubs); every value can be set
 * with {@code -Dbench.<name>=...} (see {@link #fromSystemProperties()}).
 *
 * @param latency       added to every operation on the share's files, like a round trip on a VPN link
 * @param jitter        a uniformly random extra part of each operation's latency
 * @param mainHubMb     the hub B1, B2, B4, B5 and B7 run on
 * @param smallHubMb    B6's and B9's small hub
 * @param largeHubMb    B6's and B9's large hub
 * @param localReads    repetitions of each read on a local file (B1)
 * @param shareReads    repetitions of each read on the share (B1)
 * @param localWrites   repetitions of a single-row write on a local file (B2, B3)
 * @param shareWrites   repetitions of a single-row write on the share (B2)
 * @param bulkRows      rows in B3's bulk write
 * @param pushRows      rows in B5's push
 * @param directSample  single writes straight to the hub timed for B5, extrapolated to {@code pushRows}
 * @param cycles        repetitions of each measured sync cycle (B4, B5, B6, B9)
 * @param cycleChanges  changed rows per cycle in B6
 * @param propagations  writes timed from replica A to replica B (B7)
 * @param idle          how long the agent is watched idling for CPU and share operations (B8)
 * @param copies        whole-file round trips timed per hub size (B9)
 * @param transactions  how long each application workload of B10 runs
 * @param desktops      the numbers of desktops B11 puts on one hub, each on the share and on PostgreSQL
 * @param output        where the table is written
 */
public record BenchSettings(
        Duration latency, Duration jitter, int mainHubMb, int smallHubMb, int largeHubMb,
        int localReads, int shareReads, int localWrites, int shareWrites, int bulkRows, int pushRows, int directSample,
        int cycles, int cycleChanges, int propagations, Duration idle, int copies, Duration transactions,
        List<Integer> desktops, Path output) {

    public static final Path DEFAULT_OUTPUT = Path.of("target", "benchmarks");

    /** The sizes; a full run takes about 10 minutes on 2 busy cores. */
    public static BenchSettings fromSystemProperties() {
        return new BenchSettings(
                Duration.ofNanos((long) (number("latencyMs", 5) * 1_000_000)),
                Duration.ofNanos((long) (number("jitterMs", 0) * 1_000_000)),
                whole("mainHubMb", 10), whole("smallHubMb", 1), whole("largeHubMb", 200),
                whole("localReads", 2000), whole("shareReads", 100), whole("localWrites", 1000), whole("shareWrites", 50),
                whole("bulkRows", 100_000), whole("pushRows", 10_000), whole("directSample", 300),
                whole("cycles", 5), whole("cycleChanges", 100), whole("propagations", 15),
                Duration.ofSeconds(whole("idleSeconds", 30)), whole("copies", 3),
                Duration.ofSeconds(whole("transactionSeconds", 10)), wholes("desktops", List.of(5, 10, 20)),
                Path.of(System.getProperty("bench.output", DEFAULT_OUTPUT.toString())));
    }

    /** Small enough for CI to run every figure once in well under a minute; says nothing about speed. */
    public static BenchSettings tiny(Path output) {
        return new BenchSettings(Duration.ofMillis(1), Duration.ZERO, 1, 1, 2,
                50, 10, 50, 5, 2000, 300, 10, 2, 20, 2, Duration.ofSeconds(2), 1, Duration.ofSeconds(1), List.of(5), output);
    }

    /** The settings as the {@code -D} options that reproduce them. */
    String asOptions() {
        return String.join(" ", List.of("-Dbench.latencyMs=" + millis(latency), "-Dbench.jitterMs=" + millis(jitter),
                "-Dbench.mainHubMb=" + mainHubMb, "-Dbench.smallHubMb=" + smallHubMb, "-Dbench.largeHubMb=" + largeHubMb,
                "-Dbench.localReads=" + localReads, "-Dbench.shareReads=" + shareReads,
                "-Dbench.localWrites=" + localWrites, "-Dbench.shareWrites=" + shareWrites,
                "-Dbench.bulkRows=" + bulkRows, "-Dbench.pushRows=" + pushRows, "-Dbench.directSample=" + directSample,
                "-Dbench.cycles=" + cycles, "-Dbench.cycleChanges=" + cycleChanges,
                "-Dbench.propagations=" + propagations, "-Dbench.idleSeconds=" + idle.toSeconds(),
                "-Dbench.copies=" + copies, "-Dbench.transactionSeconds=" + transactions.toSeconds(),
                "-Dbench.desktops=" + String.join(",", desktops.stream().map(String::valueOf).toList())));
    }

    private static String millis(Duration d) {
        double ms = d.toNanos() / 1e6;
        return ms == Math.rint(ms) ? Long.toString((long) ms) : Double.toString(ms);
    }

    private static double number(String name, double fallback) {
        String v = System.getProperty("bench." + name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v.strip());
            if (d >= 0 && Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-Dbench." + name + "=" + v + " is not a number of 0 or more");
    }

    /** A comma-separated list of whole numbers, such as {@code -Dbench.desktops=5,10,20}. */
    private static List<Integer> wholes(String name, List<Integer> fallback) {
        String v = System.getProperty("bench." + name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            List<Integer> out = java.util.Arrays.stream(v.split(",")).map(String::strip).map(Integer::valueOf).toList();
            if (out.stream().allMatch(n -> n >= 1)) {
                return out;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-Dbench." + name + "=" + v + " is not a list of whole numbers of 1 or more");
    }

    private static int whole(String name, int fallback) {
        double d = number(name, fallback);
        if (d < 1 || d != Math.rint(d) || d > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("-Dbench." + name + "=" + System.getProperty("bench." + name)
                    + " is not a whole number of 1 or more");
        }
        return (int) d;
    }
}
