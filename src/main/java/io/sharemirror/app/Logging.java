package io.sharemirror.app;

import io.sharemirror.platform.AppDirs;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.tinylog.Logger;
import org.tinylog.configuration.Configuration;
import org.tinylog.provider.ProviderRegistry;

/** tinylog set up before the first log line: console (stderr, so stdout stays for results) and a rolling file. */
final class Logging {

    private static boolean closed;

    private Logging() {
    }

    static Path configure() throws IOException {
        Path dir = AppDirs.logDirectory();
        if (Configuration.isFrozen()) {
            return dir; // already logging (a second command in the same JVM, as in tests)
        }
        AppDirs.ownerOnlyFolder(dir); // log lines name hub rows
        Configuration.set("writer1", "console");
        Configuration.set("writer1.stream", "err");
        Configuration.set("writer1.level", "info");
        Configuration.set("writer1.format", "{date:HH:mm:ss} {level}: {message}");
        Configuration.set("writer2", "rolling file");
        Configuration.set("writer2.level", "debug");
        Configuration.set("writer2.file", dir.resolve("sharemirror-{count}.log").toString());
        Configuration.set("writer2.latest", dir.resolve("sharemirror.log").toString());
        Configuration.set("writer2.policies", "startup, size: 10mb");
        Configuration.set("writer2.backups", "5");
        Configuration.set("writer2.format", "{date:yyyy-MM-dd HH:mm:ss.SSS} [{thread}] {level}: {message}");
        // Our own shutdown hook still logs while the agent stops; it closes the writers when done.
        Configuration.set("autoshutdown", "false");
        Logger.debug("logging to {}", dir); // opens this start's log file, so it can be made owner-only now
        ownerOnlyFiles(dir);
        return dir;
    }

    /**
     * tinylog creates its files with the process's default mode; the folder is owner-only already, and its files are
     * made so too (one started after a size roll-over keeps the default until the next start).
     */
    private static void ownerOnlyFiles(Path dir) throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).toList()) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
        }
    }

    /** Flushes and closes the log writers; later log lines are dropped. Safe to call twice. */
    static synchronized void shutdown() {
        if (!closed) {
            closed = true;
            try {
                ProviderRegistry.getLoggingProvider().shutdown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
