package io.sharemirror.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The shipped agent, {@code java -jar sharemirror.jar run --headless}, as a user starts it, in a process of its own
 * with its own state folder (so agents of one test do not take each other for a second instance). Its output goes to
 * a log file and is read for the status lines that tell when it is ready.
 */
final class AgentProcess implements AutoCloseable {

    private final Process process;
    private final long startedAt;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private AgentProcess(Process process, long startedAt, Path log) {
        this.process = process;
        this.startedAt = startedAt;
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)); BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                    out.write(line);
                    out.newLine();
                    out.flush();
                }
            } catch (IOException e) {
                lines.add("output lost: " + e);
            }
        }, "agent-output-" + process.pid());
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts the agent on {@code config}; {@code home} holds its state folder and its output log. */
    static AgentProcess start(Path jar, Path config, Path home) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the shaded jar " + jar + " is missing: the benchmark runs after `package`"
                    + " (mvn -B -Pbench verify), which builds it");
        }
        Files.createDirectories(home);
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "run", "--headless", "--config", config.toString()).redirectErrorStream(true);
        builder.environment().put("XDG_STATE_HOME", home.resolve("state").toString());
        builder.environment().remove("DISPLAY");
        long startedAt = System.nanoTime();
        return new AgentProcess(builder.start(), startedAt, home.resolve("agent.log"));
    }

    /**
     * Ready: every named database has finished its first cycle successfully, which the agent announces with its
     * status line {@code "<time> <name>: OK, 0 pending"}. Returns the time from process start to the last of them.
     */
    Duration awaitReady(Collection<String> names, Duration timeout) throws InterruptedException {
        Set<String> waiting = new HashSet<>(names);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!waiting.isEmpty()) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IllegalStateException("the agent was not ready within " + timeout.toSeconds() + " s; still"
                        + " waiting for " + waiting + (process.isAlive() ? "" : "; it exited with " + process.exitValue()));
            }
            waiting.removeIf(name -> line.contains(" " + name + ": OK"));
        }
        return Duration.ofNanos(System.nanoTime() - startedAt);
    }

    long pid() {
        return process.pid();
    }

    /** Resident memory now, from /proc/PID/status (VmRSS), in MB. */
    double rssMb() throws IOException {
        return statusKb("VmRSS:") / 1024.0;
    }

    /** The most resident memory so far (VmHWM), in MB. */
    double peakRssMb() throws IOException {
        return statusKb("VmHWM:") / 1024.0;
    }

    /** CPU time used so far, user and system, in clock ticks (fields 14 and 15 of /proc/PID/stat). */
    long cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        // the command name in field 2 may hold spaces; the fields after it start past its closing parenthesis
        List<String> fields = List.of(stat.substring(stat.lastIndexOf(')') + 2).trim().split(" "));
        return Long.parseLong(fields.get(11)) + Long.parseLong(fields.get(12));
    }

    private long statusKb(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException(field + " missing from /proc/" + process.pid() + "/status");
    }

    /** SIGTERM, as a logout sends it: the agent lets running cycles finish and exits; SIGKILL after 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
