package io.sharemirror.share;

import io.sharemirror.Requirements;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/** The FUSE mounts of the share fixtures: whether FUSE is there, waiting for a mount, and unmounting it for sure. */
final class Mounts {

    private static final Path FUSE_DEVICE = Path.of("/dev/fuse");
    private static final Pattern OCTAL_ESCAPE = Pattern.compile("\\\\([0-7]{3})");

    private Mounts() {
    }

    /** FUSE, which the share fixtures mount (ARCHITECTURE.md#tests): the kernel's device and libfuse's mount helper. */
    static void requireFuse() {
        Requirements.require(Files.exists(FUSE_DEVICE), FUSE_DEVICE + " is missing: the kernel's FUSE module is not"
                + " loaded (modprobe fuse), or a container was started without --device /dev/fuse");
        Requirements.requireProgram("fusermount3", "fuse3");
    }

    static boolean isMounted(Path mountPoint) {
        String wanted = mountPoint.toAbsolutePath().normalize().toString();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                // "36 35 0:58 / /mount/point rw,... - fuse.faultfs faultfs rw,...": the fifth field, octal-escaped
                String[] fields = line.split(" ");
                if (fields.length > 4 && unescape(fields[4]).equals(wanted)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code ready} holds; fails early once {@code starting} turns false (the process or thread ended). */
    static void await(String what, Duration timeout, BooleanSupplier starting, BooleanSupplier ready) {
        Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .failFast(what + ": ended before it was ready", () -> !starting.getAsBoolean())
                .until(ready::getAsBoolean);
    }

    /**
     * {@code fusermount3 -u}; returns whether nothing is mounted there now. It refuses while a file is open on the
     * mount (a failed test may have left a connection open): then the caller ends its filesystem and {@link #detach}es.
     */
    static boolean tryUnmount(Path mountPoint) {
        if (isMounted(mountPoint)) {
            Command.run("fusermount3", "-u", mountPoint.toAbsolutePath().normalize().toString());
        }
        return !isMounted(mountPoint);
    }

    /** {@code umount -l}: takes the mount out of the tree at once, even while files are open on it. */
    static void detach(Path mountPoint) {
        if (isMounted(mountPoint)) {
            Command lazy = Command.run("umount", "-l", mountPoint.toAbsolutePath().normalize().toString());
            if (isMounted(mountPoint)) {
                throw new IllegalStateException("cannot unmount " + mountPoint + ": " + lazy);
            }
        }
    }

    private static String unescape(String field) {
        Matcher m = OCTAL_ESCAPE.matcher(field);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 8))));
        }
        return m.appendTail(out).toString();
    }
}
