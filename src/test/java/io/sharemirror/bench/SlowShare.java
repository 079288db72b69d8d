package io.sharemirror.bench;

import io.sharemirror.share.FaultFs;
import io.sharemirror.share.Op;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The benchmark's share: one FaultFs mount holding only the hubs and their twins, so its counters are the operations
 * on the hubs' files. Every operation pays the run's latency while a figure is measured; setup (making and cloning the
 * data) runs without it.
 */
final class SlowShare implements AutoCloseable {

    private final FaultFs fs;
    private final BenchSettings settings;

    private SlowShare(FaultFs fs, BenchSettings settings) {
        this.fs = fs;
        this.settings = settings;
    }

    static SlowShare mount(Path root, BenchSettings settings) throws IOException {
        return new SlowShare(FaultFs.mount(root.resolve("server"), root.resolve("mnt")), settings);
    }

    /** The mounted folder, as applications and the agent reach the share. */
    Path folder() {
        return fs.folder();
    }

    /** The server's side of the same folder, for setup that is not measured. */
    Path server() {
        return fs.serverFolder();
    }

    /** The server's side of a file on the share. */
    Path serverSide(Path onShare) {
        return server().resolve(folder().relativize(onShare));
    }

    void slow() {
        fs.faults().latency(settings.latency(), settings.jitter());
    }

    void fast() {
        fs.faults().latency(Duration.ZERO, Duration.ZERO);
    }

    double latencyMs() {
        return settings.latency().toNanos() / 1e6;
    }

    /** The operations on the share an action cost, in all and by kind. */
    record Ops(long total, Map<Op, Long> byKind) {

        double per(int times) {
            return (double) total / times;
        }
    }

    /** Operations on the share since the counts were last reset. */
    long count() {
        return fs.faults().total();
    }

    /** Runs {@code action} and returns the operations on the share it cost. */
    Ops ops(Samples.Action action) throws Exception {
        fs.faults().resetCounts();
        action.run();
        return new Ops(fs.faults().total(), fs.faults().counts());
    }

    @Override
    public void close() {
        fs.close();
    }
}
