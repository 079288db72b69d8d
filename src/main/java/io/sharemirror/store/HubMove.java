package io.sharemirror.store;

import io.sharemirror.sync.HubDamagedException;
import io.sharemirror.sync.StoreException;
import io.sharemirror.sync.StoreException.Kind;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A file hub moved into another hub ({@code sharemirror move-hub}, ARCHITECTURE.md#moving-a-hub), on the file's side.
 * One write transaction on the file ({@code BEGIN IMMEDIATE}) is held from before the copy to the mark: no write lands
 * in the file after its copy began, so the copy, its check and the mark see one file; agents and direct writers wait
 * meanwhile (BUSY past their timeouts, retried). In that transaction: the move is refused when the file moved already
 * or is marked damaged, the log is installed if no agent ever did (so the copy has one to copy), the {@link HubCopy}
 * copies and reads back, the new hub commits, and then the file is marked ({@link MovedMark}) and committed.
 *
 * <p>The new hub commits before the file: a failure between the two leaves the file unmarked and still the hub (its
 * desktops never saw the copy), and the new database holding a copy nobody uses; a second move refuses to write over
 * it ({@link HubCopy}'s implementation says how to clear it).
 */
public final class HubMove {

    private final String database;
    private final Path file;
    private final ConnectionFactory factory;

    public HubMove(String database, Path file, ConnectionFactory factory) {
        this.database = database;
        this.file = file;
        this.factory = factory;
    }

    /** Where the file moved, read without waiting for any lock; empty while it is still the hub. */
    public Optional<String> movedTo() {
        try (Connection c = factory.open(file, ConnectionFactory.Kind.DIRECT, ConnectionFactory.Access.READ_ONLY)) {
            return MovedMark.read(c);
        } catch (SQLException e) {
            throw SqliteErrors.classifyHub("reading the hub " + file, e);
        }
    }

    /**
     * Copies the file into {@code copy}'s hub, checks every row, and marks the file as moved to {@code url}.
     *
     * @return the figures read back from the new hub
     * @throws io.sharemirror.sync.HubMovedException when the file moved already (to where it says)
     */
    public HubCopy.Report move(String url, HubCopy copy, Consumer<String> progress) {
        try (Connection c = factory.open(file, ConnectionFactory.Kind.DIRECT, ConnectionFactory.Access.READ_WRITE);
             Statement s = c.createStatement()) {
            HubReads.refuseWal(SingleValue.of(c, "PRAGMA journal_mode"), file.toString());
            progress.accept("taking the write lock of " + file + " (writers wait until the move is done)");
            s.execute("BEGIN IMMEDIATE");
            try {
                HubCopy.Report checked = copyWhileLocked(c, url, copy, progress);
                s.execute("COMMIT");
                return checked;
            } catch (SQLException | RuntimeException e) {
                RowIo.rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            throw SqliteErrors.classifyHub("moving " + database + " from " + file, e);
        }
    }

    private HubCopy.Report copyWhileLocked(Connection c, String url, HubCopy copy, Consumer<String> progress)
            throws SQLException {
        if (MovedMark.read(c).isPresent()) {
            throw MovedMark.moved(c);
        }
        HubLog.install(c, Schema.read(c, t -> true).values());
        String damage = SingleValue.of(c, "SELECT node || ': ' || what FROM _sm_damage ORDER BY at DESC LIMIT 1");
        if (damage != null) {
            throw new HubDamagedException("the hub " + file + " is marked damaged by " + damage + "; it is not moved",
                    HubDamagedException.REPORTED_HINT, null);
        }
        HubCopy.Report copied = copy.copy(c, progress);
        HubCopy.Report checked = copy.verify(c, progress);
        if (!copied.equals(checked)) {
            throw new StoreException(Kind.FAILED, "the copy of " + database + " reads back as " + checked
                    + " but " + copied + " was written; nothing was moved", null, null);
        }
        copy.commit();
        MovedMark.install(c, url, System.currentTimeMillis());
        return checked;
    }
}
