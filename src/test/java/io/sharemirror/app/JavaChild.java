package io.sharemirror.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A main class of the test class path run in a JVM of its own, with its output lines readable as they come. */
final class JavaChild implements AutoCloseable {

    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final Thread pump;

    private JavaChild(Process process) {
        this.process = process;
        pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the child was killed under the reader: its output ends here
            }
        }, "child-output-" + process.pid());
        pump.setDaemon(true);
        pump.start();
    }

    /** A lean JVM (C1 only, serial GC) with this JVM's class path: these children start in well under a second. */
    static JavaChild start(Class<?> main, String... args) throws IOException {
        return start(Map.of(), List.of(), main, args);
    }

    /**
     * As {@link #start(Class, String...)}, with environment variables added and JVM options (system properties, a
     * larger heap) after the defaults.
     */
    static JavaChild start(Map<String, String> environment, List<String> jvmOptions, Class<?> main, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        return new JavaChild(builder.start());
    }

    long pid() {
        return process.pid();
    }

    /** The next output line starting with {@code prefix}; fails with everything printed so far if none comes. */
    String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        return await(line -> line.startsWith(prefix), "starting with '" + prefix + "'", timeout);
    }

    /** The next output line containing {@code text} (log lines start with a time). */
    String awaitLineContaining(String text, Duration timeout) throws InterruptedException {
        return await(line -> line.contains(text), "containing '" + text + "'", timeout);
    }

    private String await(Predicate<String> wanted, String what, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            String line = lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                break;
            }
            seen.add(line);
            if (wanted.test(line)) {
                return line;
            }
        }
        throw new AssertionError("no line " + what + " within " + timeout.toSeconds()
                + " s; the child printed: " + seen + ", alive: " + process.isAlive());
    }

    /** Everything the child printed, once it has exited: the lines awaited so far and all the rest. */
    List<String> output() throws InterruptedException {
        pump.join(TimeUnit.SECONDS.toMillis(30));
        lines.drainTo(seen);
        return List.copyOf(seen);
    }

    void send(String line) throws IOException {
        Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        in.write(line + "\n");
        in.flush();
    }

    /**
     * SIGTERM, as a service manager or {@code kill} sends it. Sent with kill(1), not {@link Process#destroy()}: that
     * also closes the pipes, and what the child prints while it stops would be lost.
     */
    void terminate() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    /** SIGKILL on Unix: the process gets no chance to clean up. */
    void kill() {
        process.destroyForcibly();
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the child did not exit within " + timeout.toSeconds() + " s");
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
