package io.sharemirror.store;

import io.sharemirror.sync.SchemaStep;
import io.sharemirror.sync.SchemaObject;
import io.sharemirror.sync.LocalChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/** Makes on the hub the schema changes made on a replica ({@link SqliteHubSchema#apply}), with its log triggers. */
public final class HubSchemaPush {

    private HubSchemaPush() {
    }

    /**
     * The schema changes made here, on the hub in one write transaction, with the hub's log triggers for them. A
     * renamed table has its rows logged again under the new name ({@link #relog}); the schema number set last.
     */
    static void push(Connection hc, List<SchemaStep> steps, Map<String, SchemaObject> local, String node,
                     Map<String, List<LocalChange>> archived, long userVersion) throws SQLException {
        hubWrite(hc, () -> {
            for (SchemaStep step : steps) {
                TableInfo was = step.kind() == SchemaStep.Kind.ALTER && step.from().isTable()
                        ? Schema.read(hc, n -> n.equalsIgnoreCase(step.from().name())).get(step.from().name()) : null;
                List<LocalChange> before = was == null ? List.of() : SchemaRows.all(hc, was);
                DdlReplay.apply(hc, step, local);
                if (!before.isEmpty()) {
                    List<LocalChange> refused = SchemaRows.missing(hc, before);
                    if (!refused.isEmpty()) {
                        archived.put(droppedRows(was.name(), step.into().sql()), refused);
                    }
                }
                if (step.into() != null && step.into().isTable()) {
                    TableInfo t = Schema.read(hc, n -> n.equalsIgnoreCase(step.into().name())).get(step.into().name());
                    if (t != null) {
                        HubLog.replaceTriggers(hc, step.from() == null ? t.name() : step.from().name(), t);
                        if (step.kind() == SchemaStep.Kind.RENAME) {
                            relog(hc, t, node);
                        }
                    }
                }
            }
            if (UserVersion.of(hc) != userVersion) {
                UserVersion.set(hc, userVersion);
            }
        });
    }

    /** Why the archive holds a hub row that a change of its table's definition (to {@code newSql}) dropped. */
    public static String droppedRows(String table, String newSql) {
        return "this row of table " + table + " was on the hub under its old definition and does not fit the new one"
                + " made on this desktop (" + newSql + "); it is kept here, and Restore writes it back";
    }

    /**
     * A table renamed on the hub by a program without ShareMirror keeps log triggers that log its old name, and the
     * pulls of every desktop skip a name no table has: the first agent to see the rename replaces them and logs every
     * row again under the new name, in one hub transaction.
     */
    static void relogRenamedOnHub(Connection hc, List<SchemaStep> toReplica, String node) throws SQLException {
        for (SchemaStep step : toReplica) {
            if (step.kind() != SchemaStep.Kind.RENAME
                    || DdlReplay.storedSql(hc, "_sm_hi_" + step.from().name()) == null) {
                continue;
            }
            hubWrite(hc, () -> {
                TableInfo t = Schema.read(hc, n -> n.equalsIgnoreCase(step.into().name())).get(step.into().name());
                if (t != null) {
                    HubLog.replaceTriggers(hc, step.from().name(), t);
                    relog(hc, t, node);
                }
            });
        }
    }

    /**
     * Logs every row of a renamed table under its new name, stamped with time 0: the log entries under the old name
     * name no table any more, and a desktop that has not pulled them gets each row's current values from these; a
     * change still pending anywhere is newer and wins over them.
     */
    private static void relog(Connection hc, TableInfo t, String node) throws SQLException {
        try (PreparedStatement s = hc.prepareStatement("INSERT INTO _sm_log(tbl, pk, op, origin, ts) SELECT ?, "
                + Sql.keyJson("", t) + ", 'U', ?, 0 FROM " + Sql.ident(t.name()))) {
            s.setString(1, t.name());
            s.setString(2, node);
            s.executeUpdate();
        }
    }

    @FunctionalInterface
    private interface HubWork {
        void run() throws SQLException;
    }

    /** One write transaction on the hub. */
    private static void hubWrite(Connection hc, HubWork work) throws SQLException {
        try (Statement s = hc.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try {
                work.run();
                s.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                RowIo.rollbackQuietly(hc);
                throw e;
            }
        }
    }
}
