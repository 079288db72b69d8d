package io.sharemirror.ui;

import io.sharemirror.config.ConfigException;
import io.sharemirror.config.DatabaseDraft;
import io.sharemirror.status.FileCheck;
import io.sharemirror.sync.CloneProgress;
import java.io.IOException;
import java.util.List;

/**
 * Adding, changing and removing databases from the dashboard: the config file is written (keeping the user's comments
 * and order) and the agent follows it at once. Every method reads or writes files: call them on the background thread.
 */
public interface SetupControl {

    /** The settings a new database starts with: what it would inherit from the config file. */
    DatabaseDraft newDraft() throws ConfigException, IOException;

    /**
     * A configured database's settings, for the Edit dialog: as the config file has them, but the sync interval in
     * force, which a choice in the tray menu may have put there. Saving writes it to the file.
     */
    DatabaseDraft draft(String name);

    /** For people: where {@link #draft}'s sync interval comes from ("from the config file", or the tray menu). */
    String intervalOrigin(String name);

    /** What the config's own validation says of the file with the draft added (or, {@code editing}, changed). */
    List<ConfigException.Problem> problems(DatabaseDraft draft, boolean editing) throws IOException;

    /**
     * The live checks of the file a draft names, plus where it lies and what its Mirror setting does there; of a
     * PostgreSQL URL: it parses, the server lets this user in, the database is a hub or can become one. A file the
     * agent syncs already is not opened again (editing: only where it lies).
     */
    FileCheck check(DatabaseDraft draft, boolean editing);

    /** Writes the draft into the config; the first copy of the hub then reports to {@code firstCopy}. */
    void add(DatabaseDraft draft, CloneProgress firstCopy) throws ConfigException, IOException;

    void change(DatabaseDraft draft) throws ConfigException, IOException;

    /**
     * Pushes the database's waiting writes first, refusing as Clear Cache does while they cannot be pushed (unless
     * {@code discardPending}: they go to the conflict archive), then takes it out of the config; {@code deleteReplica}
     * deletes its local copy too.
     */
    void remove(String name, boolean discardPending, boolean deleteReplica) throws ConfigException, IOException;
}
