package io.sharemirror.share;

import io.sharemirror.Waits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** A server process a fixture started (smbd, smbnetfs): output to a log file, stopped by pid with every child it forked. */
final class Daemon {

    private final String name;
    private final Process process;
    private final Path log;

    private Daemon(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static Daemon start(String name, List<String> argv, Map<String, String> env, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(env);
        return new Daemon(name, builder.start(), log);
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGTERM to the process and everything it forked, SIGKILL to whatever is left after 5 s. */
    void stop() {
        // Listed before anything dies: orphans are re-parented and no longer show up as descendants.
        List<ProcessHandle> all = Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList();
        all.forEach(ProcessHandle::destroy);
        if (!awaitGone(all, Duration.ofSeconds(5))) {
            all.forEach(ProcessHandle::destroyForcibly);
            awaitGone(all, Duration.ofSeconds(5));
        }
    }

    private static boolean awaitGone(List<ProcessHandle> processes, Duration timeout) {
        return Waits.holdsWithin(timeout, Duration.ofMillis(10), () -> processes.stream().noneMatch(Daemon::running));
    }

    /**
     * Alive and not a zombie. Orphans are re-parented to pid 1, which in some containers never reaps them, and Java
     * counts a zombie as alive.
     */
    private static boolean running(ProcessHandle p) {
        if (!p.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z'; // "pid (name) S ..."
        } catch (IOException e) {
            return false; // gone meanwhile
        }
    }

    /** The end of the log, for error messages. */
    String logTail() {
        try {
            List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
            return name + " log " + log + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return name + " log " + log + " unreadable: " + e;
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
