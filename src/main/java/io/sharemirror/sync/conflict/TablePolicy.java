package io.sharemirror.sync.conflict;

import java.util.Objects;

/** How conflicts on one table are settled: who wins, and whether a row or each column is the unit. */
public record TablePolicy(ConflictPolicy conflict, MergeMode merge) {

    /** Today's behaviour, the default: the newest change of a row wins, and the row is the unit. */
    public static final TablePolicy DEFAULT = new TablePolicy(ConflictPolicy.NEWEST_WINS, MergeMode.ROW);

    public TablePolicy {
        Objects.requireNonNull(conflict);
        Objects.requireNonNull(merge);
    }
}
