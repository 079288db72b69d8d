package io.sharemirror.crash;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The parent's handle on one {@link CrashChild} JVM: starts it, copies its output to a log file, reads its markers. */
final class ChildProcess {

    final String life;
    final Chaos.Point mode;
    final Path log;
    private final Process process;
    private final Thread pump;

    /** The child JVM's process id, from its READY line (the process started may be a tracer around it), or 0. */
    volatile long pid;
    /** {@link System#nanoTime()} when the child printed READY / OPENED, or 0. */
    volatile long readyAt;
    volatile long openedAt;
    volatile long cloneMs = -1;
    volatile String halt;
    volatile String error;
    final AtomicInteger syncFailures = new AtomicInteger();
    final AtomicInteger writeErrors = new AtomicInteger();
    final List<String> syncFailureSamples = new ArrayList<>();
    /** The child's STATS lines: {nanoTime, heap kB after a full collection, pending keys}. */
    final List<long[]> stats = Collections.synchronizedList(new ArrayList<>());
    /** How long after READY the parent sends SIGKILL, and when that is (nanoTime, 0 until READY). */
    long killAfterMs;
    /** If above 0: SIGKILL this long after OPENED instead (whichever comes first). */
    long killAfterOpenedMs;
    long killAt;
    volatile boolean killed;

    private ChildProcess(String life, Chaos.Point mode, Path log, Process process) {
        this.life = life;
        this.mode = mode;
        this.log = log;
        this.process = process;
        this.pump = new Thread(this::pump, "pump-" + life);
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * Starts {@code java <jvmOptions> CrashChild <args>}; the options carry {@code -cp}: surefire's forked JVM has
     * target/classes, target/test-classes and every dependency on its class path, and the children get the same.
     */
    static ChildProcess start(String life, Chaos.Point mode, Path log, List<String> jvmOptions, List<String> args)
            throws IOException {
        return start(life, mode, log, List.of(), jvmOptions, args, Map.of());
    }

    /** The same with {@code environment} added to this process's (a PostgreSQL hub's password). */
    static ChildProcess start(String life, Chaos.Point mode, Path log, List<String> jvmOptions, List<String> args,
                              Map<String, String> environment) throws IOException {
        return start(life, mode, log, List.of(), jvmOptions, args, environment);
    }

    /** The same, with {@code launcher} (a tracer such as strace and its options) in front of the java command. */
    static ChildProcess start(String life, Chaos.Point mode, Path log, List<String> launcher, List<String> jvmOptions,
                              List<String> args) throws IOException {
        return start(life, mode, log, launcher, jvmOptions, args, Map.of());
    }

    private static ChildProcess start(String life, Chaos.Point mode, Path log, List<String> launcher,
                                      List<String> jvmOptions, List<String> args, Map<String, String> environment)
            throws IOException {
        List<String> command = new ArrayList<>(launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions); // with -cp
        command.add(CrashChild.class.getName());
        command.addAll(args);
        Files.writeString(log, String.join(" ", command) + "\n", StandardCharsets.UTF_8);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process p = builder.start();
        return new ChildProcess(life, mode, log, p);
    }

    private void pump() {
        InputStream in = process.getInputStream();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
             BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                     java.nio.file.StandardOpenOption.APPEND)) {
            String line;
            while ((line = reader.readLine()) != null) {
                out.write(line);
                out.newLine();
                if (line.startsWith("READY")) {
                    pid = Long.parseLong(line.substring(line.indexOf("pid=") + 4).trim());
                    readyAt = System.nanoTime();
                } else if (line.startsWith("OPENED")) {
                    int at = line.indexOf("cloneMs=");
                    if (at >= 0) {
                        cloneMs = Long.parseLong(line.substring(at + "cloneMs=".length()).trim());
                    }
                    openedAt = System.nanoTime();
                } else if (line.startsWith("HALT ")) {
                    halt = line.substring(5);
                } else if (line.startsWith("CHILD-ERROR")) {
                    error = line;
                } else if (line.startsWith("SYNC-FAILED")) {
                    if (syncFailures.incrementAndGet() <= 3) {
                        synchronized (syncFailureSamples) {
                            syncFailureSamples.add(line);
                        }
                    }
                } else if (line.startsWith("WRITE-ERROR")) {
                    writeErrors.incrementAndGet();
                } else if (line.startsWith("STATS ")) {
                    String[] f = line.split("[ =]");
                    stats.add(new long[] {System.nanoTime(), Long.parseLong(f[2]), Long.parseLong(f[4])});
                }
            }
        } catch (IOException e) {
            // The JDK closes a killed child's pipe under a blocked reader: after our SIGKILL that is the end of its
            // output, not an error. Any other read failure is reported.
            if (!(killed && "Stream closed".equals(e.getMessage()))) {
                error = "reading the child's output: " + e;
            }
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /**
     * SIGKILL to the child JVM. A launcher around it (strace) is left to notice and end by itself, with its output
     * complete; before READY names the JVM, the process started gets the signal.
     */
    void kill() {
        killed = true;
        ProcessHandle jvm = pid == 0 ? null : ProcessHandle.of(pid).orElse(null);
        if (jvm != null && jvm.isAlive()) {
            jvm.destroyForcibly();
        } else {
            process.destroyForcibly();
        }
    }

    /** Waits for the process and for the last of its output. */
    int await(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            kill();
            process.waitFor();
        }
        pump.join(10_000);
        return process.exitValue();
    }

    /** The point named in the child's HALT line. */
    Chaos.Point haltedAt() {
        return halt == null ? null : Chaos.Point.of(halt.split(" ")[0]);
    }
}
