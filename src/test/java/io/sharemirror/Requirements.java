package io.sharemirror;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.opentest4j.AssertionFailedError;

/**
 * What a test needs of the machine that Maven cannot bring: FUSE, Samba, root, an X server and the programs the tests
 * drive. Outside CI a missing one skips the test, saying why; in CI ({@code CI=true}, as {@code .ci/run} is run) it
 * fails the test: a CI machine without them would otherwise be green without having run those tests.
 */
public final class Requirements {

    /** The step that installs every program the tests need (README, Development). */
    public static final String INSTALL_STEP = "scripts/install-deps.sh --tests";

    private Requirements() {
    }

    /** Skips (outside CI) or fails (in CI) the calling test unless {@code met}; {@code missing} says what and how. */
    public static void require(boolean met, String missing) {
        check(met, missing, "true".equalsIgnoreCase(System.getenv("CI")));
    }

    /** A program on the PATH, which {@link #INSTALL_STEP} installs with Debian's package {@code debianPackage}. */
    public static void requireProgram(String program, String debianPackage) {
        require(onPath(program), program + " is not installed; " + INSTALL_STEP + " installs " + debianPackage);
    }

    /** A file a package brings, such as a library loaded into a child process. */
    public static void requireFile(Path file, String debianPackage) {
        require(Files.exists(file), file + " is missing; " + INSTALL_STEP + " installs " + debianPackage);
    }

    /** Root, for what only root may do ({@code why}); CI runs as root. */
    public static void requireRoot(String why) {
        String user = System.getProperty("user.name");
        require(user.equals("root"), why + ", and the tests run as " + user + "; run them as root, as CI does");
    }

    static void check(boolean met, String missing, boolean inCi) {
        if (met) {
            return;
        }
        System.err.println((inCi ? "missing in CI: " : "test skipped: ") + missing);
        if (inCi) {
            throw new AssertionFailedError("missing in CI (CI=true), where every test must run: " + missing);
        }
        Assumptions.abort("skipped: " + missing);
    }

    private static boolean onPath(String program) {
        for (String folder : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(folder, program))) {
                return true;
            }
        }
        return false;
    }
}
