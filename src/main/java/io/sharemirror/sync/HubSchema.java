package io.sharemirror.sync;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hub's schema verbs, part of the narrow hub port ({@link Hub#schema()}): what the schema sync, which matches a
 * replica's schema with its hub's both ways (ARCHITECTURE.md#schema-changes), needs of the hub. The planning knows no
 * hub kind: it reads the hub's definitions and tables here, and hands the hub the steps to make on its side. One object
 * serves one schema check. Errors are {@link StoreException}s.
 */
public interface HubSchema {

    /**
     * What tells whether the hub's schema moved since it was last matched, read in one snapshot.
     *
     * @param cookie a number that changes with every schema change (not only those of definitions)
     * @param userVersion the application's own schema number ({@code PRAGMA user_version} on a file)
     * @param digest the same text as long as the definitions are the same
     * @param rowidCanary what moves when the rows of tables without a declared key were renumbered (a VACUUM), or
     *                    null when the hub cannot tell
     */
    record Version(long cookie, long userVersion, String digest, Long rowidCanary) {
    }

    /**
     * What the schema sync needs to know of one of the hub's tables.
     *
     * @param columns the columns its rows are read by, key columns included; starts with the rowid when it declares
     *                no key
     * @param keyless it declares no primary key: its rows are known by a rowid that may be renumbered
     */
    record Table(String name, List<String> columns, List<String> keyColumns, boolean keyless) {

        public Table {
            columns = List.copyOf(columns);
            keyColumns = List.copyOf(keyColumns);
        }
    }

    /**
     * The replica a schema push comes from.
     *
     * @param node its node id
     * @param cursor the last entry of the hub's change log it has pulled
     * @param rows its rows of each table the push alters, by table name, read just before the push: where the hub's
     *             rows do not fit the new definition (a NOT NULL column added without a default, as Django adds one),
     *             the replica's rows, which the same change made, fill the columns only the new definition has
     */
    record Pusher(String node, long cursor, Map<String, Map<Key, Row>> rows) {

        public Pusher {
            rows = Map.copyOf(rows);
        }
    }

    /**
     * Makes the hub log every table's changes, installing what is missing in one write transaction (nothing when all
     * is there); returns the hub's schema cookie afterwards.
     */
    long instrument();

    /** The hub's schema version, definitions digest and renumbering canary, in one read. */
    Version version();

    /** The application's mirrored objects on the hub, by {@link SchemaObject#key()}. */
    Map<String, SchemaObject> definitions();

    /** The hub's mirrored tables by name, as they are now; {@link #syncTablesExcept} takes this reading. */
    Map<String, Table> tables();

    /**
     * These columns of every row of a table, by key, in one read: what a replica copies in when the table was made or
     * changed on the hub.
     */
    Map<Key, Row> rows(String table, List<String> columns);

    /**
     * Makes these steps ({@link SchemaStep.Side#HUB}, in order) on the hub in one write transaction, with the hub's
     * change log for every table they make or change; a renamed table's rows are logged again under its new name.
     * {@code source} holds the objects the steps' definitions come from (the replica's), {@code from} is the replica
     * that asks. A hub row the new definition refuses, which nobody changed since the replica's cursor, is made
     * again from the replica's row of its key: the hub's values in the columns both definitions have, the replica's in
     * the others; none is logged, since the replica's change made the same rows (what else differs is the replica's to
     * push). Such a row the replica does not have is logged as its delete. Returns the hub's rows that still do not
     * fit (dropped by the change), each list under the sentence that says why, for the conflict archive; empty when
     * none. The application's schema
     * number becomes {@code userVersion} in the same transaction, so no reader sees the new schema with the old number.
     */
    Map<String, List<LocalChange>> apply(List<SchemaStep> steps, Map<String, SchemaObject> source, Pusher from,
                                         long userVersion);

    /**
     * Tables renamed on the hub by a program without ShareMirror (these RENAME steps, made on the replica): the first
     * agent to see the rename makes the hub's change log follow the new name and logs every row again under it, in one
     * write transaction per table, so every desktop's pulls find them. A rename the log already follows is left alone.
     */
    void followRenames(List<SchemaStep> renames, String node);

    /**
     * From now on the hub's reads and pushes know the tables of the last {@link #tables()} reading, except
     * {@code leftOut}: those the schema sync refused until someone acts.
     */
    void syncTablesExcept(Set<String> leftOut);
}
