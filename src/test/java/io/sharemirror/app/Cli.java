package io.sharemirror.app;

import io.sharemirror.platform.AppDirs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The command line as a script sees it, run in this JVM: the exit code, stdout and stderr of one command. */
final class Cli {

    /** What one command printed and returned. */
    record Result(int code, String out, String err) {

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
        }
    }

    static {
        // Every test JVM logs into the build folder, never into the home folder of whoever runs the build.
        System.setProperty(AppDirs.LOG_DIR_PROPERTY, Path.of("target", "test-logs").toAbsolutePath().toString());
    }

    private Cli() {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8));
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(oldErr);
        }
    }
}
