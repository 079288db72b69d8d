package io.sharemirror.store;

import io.sharemirror.sync.MirrorMode;
import java.sql.Connection;
import java.sql.SQLException;

/** Whether a replica file can serve applications, checked on the connection an application is about to use. */
public final class ReplicaCheck {

    private ReplicaCheck() {
    }

    /**
     * Null when {@code c} is open on a replica made for {@code mode}; otherwise why not, as a phrase that follows
     * "the replica". One read of the schema: cheap enough for every connection an application opens.
     */
    public static String problem(Connection c, MirrorMode mode) {
        try {
            MirrorMode madeFor = ReplicaCapture.replicaMode(c);
            if (madeFor == null) {
                return "is not a replica ShareMirror finished making (its _sm_state table is missing)";
            }
            if (madeFor != mode) {
                return "was made for mode: " + madeFor.configName() + " but the config says mode: "
                        + mode.configName() + "; the agent replaces it on its next sync";
            }
            return null;
        } catch (SQLException e) {
            return "cannot be read: " + e.getMessage();
        }
    }
}
