package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.Requirements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Programs that know nothing of ShareMirror, run as separate processes on the same files: the {@code sqlite3} shell
 * and Python's {@code sqlite3} module. The README's test command (scripts/test.sh) installs both.
 */
public final class OtherPrograms {

    /** What a program printed (stdout and stderr together) and how it exited. */
    public record Run(int exitCode, String output) {
    }

    private OtherPrograms() {
    }

    /** Runs {@code sql} in the sqlite3 shell on {@code db}, stopping at the first error. */
    public static Run sqlite3(Path db, String sql) throws Exception {
        return run(sql, executable("sqlite3"), "-bail", db.toString());
    }

    /** Runs a Python 3 script, reading it from stdin; {@code args} become sys.argv[1:]. */
    public static Run python(String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(executable("python3"), "-"));
        command.addAll(List.of(args));
        return run(script, command.toArray(String[]::new));
    }

    private static Run run(String stdin, String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), command[0] + " did not finish");
        return new Run(p.exitValue(), output.trim());
    }

    /**
     * Debian's program, as the README's test command installs it: the PATH may put another first (pyenv's python3,
     * without the Debian packages SQLAlchemy and Alembic). One that is missing fails the test in CI, skips it elsewhere.
     */
    private static String executable(String name) {
        Path debian = Path.of("/usr/bin", name);
        Requirements.requireFile(debian, name);
        return debian.toString();
    }
}
