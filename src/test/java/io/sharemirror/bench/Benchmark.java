package io.sharemirror.bench;

import io.sharemirror.store.Cluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark of issue 4: ShareMirror against opening the database on the share, every figure measured in one run on
 * the same data on the same slow share (FaultFs at {@link BenchSettings#latency()} per operation), reported as medians
 * and ratios in a table printed at the end and written to {@code target/benchmarks/}. Not a test: run it with
 * {@code mvn -B -Pbench verify} (BENCHMARKS.md); {@link BenchmarkSmokeIT} runs it at tiny sizes in CI.
 */
public class Benchmark {

    @TempDir
    Path work;

    @Test
    void run() throws Exception {
        BenchSettings settings = BenchSettings.fromSystemProperties();
        ResultTable table = run(settings, work, jar());
        System.out.println();
        System.out.println(table.markdown());
        System.out.println("written to " + settings.output().toAbsolutePath().resolve(ResultTable.MARKDOWN));
    }

    /** The shaded jar the agent figures launch; failsafe passes its path. */
    static Path jar() {
        return Path.of(System.getProperty("sharemirror.jar", "target/sharemirror.jar"));
    }

    /** Measures every figure B1..B11 and writes the table into {@code settings.output()}. */
    static ResultTable run(BenchSettings settings, Path work, Path jar) throws Exception {
        ResultTable table = new ResultTable();
        long started = System.nanoTime();
        try (SlowShare share = SlowShare.mount(work.resolve("share"), settings)) {
            share.fast();
            Path seeds = work.resolve("seeds");
            ItemData small = ItemData.make(share, seeds, "small", settings.smallHubMb());
            ItemData main = ItemData.make(share, seeds, "main", settings.mainHubMb());
            ItemData large = ItemData.make(share, seeds, "large", settings.largeHubMb());
            List<ItemData> three = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                three.add(ItemData.make(share, seeds, "db" + i, settings.smallHubMb()));
            }
            new AppFigures(settings, share, main).measure(work.resolve("b1-b3")).forEach(table::add);
            IdleFigures.measure(settings, share, main, work.resolve("b4")).forEach(table::add);
            PushFigures.measure(settings, share, main, work.resolve("b5")).forEach(table::add);
            List<Row> bySize = new SizeFigures(settings, share).measure(work.resolve("b6-b9"), List.of(small, main, large));
            bySize.stream().filter(r -> r.id.equals("B6")).forEach(table::add);
            AgentFigures agents = new AgentFigures(settings, share, jar);
            table.add(agents.propagation(work.resolve("b7"), main));
            table.add(agents.footprint(work.resolve("b8"), three));
            bySize.stream().filter(r -> r.id.equals("B9")).forEach(table::add);
            new TransactionFigures(settings, share, jar).measure(work.resolve("b10"), main).forEach(table::add);
            new HubScaleFigures(settings).measure(share, work.resolve("b11")).forEach(table::add);
        }
        table.write(settings.output(), header(settings, (System.nanoTime() - started) / 1e9));
        return table;
    }

    private static String header(BenchSettings s, double seconds) throws Exception {
        return String.format(Locale.ROOT, """
                ## ShareMirror benchmark, %s

                - command: `mvn -B -Pbench verify`, which ran with `%s`
                - share: FaultFs (FUSE passthrough) with %s latency per operation (jitter %s) on the hubs' files
                - machine: %s cores (%s), %s RAM, Linux %s, Java %s (%s), SQLite %s (sqlite-jdbc)
                - run took %.0f s

                """, ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                s.asOptions(), Row.time(s.latency().toNanos() / 1e6), Row.time(s.jitter().toNanos() / 1e6),
                Runtime.getRuntime().availableProcessors(), cpuModel(), memory(), System.getProperty("os.version"),
                System.getProperty("java.version"), System.getProperty("java.vm.name"), sqliteVersion(), seconds);
    }

    private static String cpuModel() throws IOException {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
    }

    private static String memory() throws IOException {
        return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .map(l -> String.format(Locale.ROOT, "%.1f GiB",
                        Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0))
                .findFirst().orElse("unknown");
    }

    private static String sqliteVersion() throws Exception {
        Path scratch = Files.createTempFile("sqlite-version", ".db");
        try {
            return Cluster.scalar(scratch, "SELECT sqlite_version()");
        } finally {
            Files.deleteIfExists(scratch);
        }
    }
}
