package io.sharemirror.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Moves a local database that can no longer be trusted out of the way, with the files SQLite keeps next to it, so a
 * fresh one can take its place and nothing in it is lost: {@code app.db} becomes {@code app.db.set-aside-20240131-142501}
 * (and {@code -wal}, {@code -shm}, {@code -journal} follow it, so sqlite3 still opens them as one database). Only for
 * files this process has closed.
 */
final class Quarantine {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final List<String> COMPANIONS = List.of("-wal", "-shm", "-journal");

    private Quarantine() {
    }

    /** What {@code PRAGMA quick_check} found, on one line: its first three findings. */
    static String checkResult(String check) {
        List<String> found = List.of(check.replace("*** in database main ***", "").strip().split("\\s*\\n\\s*"));
        return String.join("; ", found.subList(0, Math.min(3, found.size()))) + (found.size() > 3 ? "; ..." : "");
    }

    /** Moves {@code db} and its companions aside; returns where {@code db} went, or null when there was none. */
    static Path move(Path db) throws IOException {
        Path kept = free(db.resolveSibling(db.getFileName() + ".set-aside-" + LocalDateTime.now().format(STAMP)));
        // The companions first: a database must never be found next to another one's -wal.
        for (String suffix : COMPANIONS) {
            Path companion = db.resolveSibling(db.getFileName() + suffix);
            if (Files.exists(companion)) {
                Files.move(companion, kept.resolveSibling(kept.getFileName() + suffix));
            }
        }
        if (!Files.exists(db)) {
            return null;
        }
        Files.move(db, kept);
        return kept;
    }

    /** {@code name}, or {@code name-2}, {@code name-3}... when a set-aside of the same second is there already. */
    private static Path free(Path name) {
        Path candidate = name;
        for (int i = 2; Files.exists(candidate); i++) {
            candidate = name.resolveSibling(name.getFileName() + "-" + i);
        }
        return candidate;
    }
}
