package io.sharemirror.share;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A short-lived command (fusermount3, sqlite3, pg_ctl): its exit code and everything it printed. */
record Command(List<String> argv, int exit, String output) {

    static Command run(String... argv) {
        return runIn(null, argv);
    }

    /** Runs in {@code directory} (null: this JVM's), for a command whose user may not enter the JVM's folder. */
    static Command runIn(Path directory, String... argv) {
        try {
            Process p = new ProcessBuilder(argv).directory(directory == null ? null : directory.toFile())
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes(); // ends when the command exits
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", argv) + " did not end within 30 s");
            }
            return new Command(List.of(argv), p.exitValue(), new String(out, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", argv) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", argv), e);
        }
    }

    boolean ok() {
        return exit == 0;
    }

    @Override
    public String toString() {
        return String.join(" ", argv) + " -> exit " + exit + (output.isEmpty() ? "" : ": " + output);
    }
}
