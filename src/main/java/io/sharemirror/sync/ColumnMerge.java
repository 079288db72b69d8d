package io.sharemirror.sync;

import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.sync.conflict.ConflictPolicy.Side;
import io.sharemirror.sync.conflict.ConflictPolicy.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One row edited both here and on the hub since the last sync, merged column by column (merge: column): a column only
 * one side changed takes that side's value; a column both changed to different values is contested, and the side the
 * policy picks for that column keeps it. Applies only to an edit of the hub's row on both sides whose columns are known on both:
 * inserts, deletes, key changes, rows made again on a key, and changes that do not say which columns they touched
 * (written by an older version) stay whole rows.
 *
 * @param ours our edit: the row here, and the columns we changed
 * @param theirs their edit: the hub's row, and each column others changed with its newest change
 * @param contested the columns both changed, to different values, in the row's order
 */
record ColumnMerge(LocalChange ours, RemoteChange theirs, List<String> contested) {

    /** The merge of the two edits, or empty when they are not both edits of columns known on both sides. */
    static Optional<ColumnMerge> of(LocalChange ours, RemoteChange theirs) {
        Set<String> mine = ours.editedColumns();
        Map<String, Version> others = theirs.columns();
        if (mine == null || others == null || theirs.row() == null || theirs.created() || theirs.replaced() != 0
                || !ours.row().columns().equals(theirs.row().columns())) {
            return Optional.empty();
        }
        List<String> contested = ours.row().differingColumns(theirs.row()).stream()
                .filter(c -> mine.contains(c) && others.containsKey(c)).toList();
        return Optional.of(new ColumnMerge(ours, theirs, contested));
    }

    /** Their newest change among these columns. */
    Version theirVersion(Collection<String> columns) {
        return columns.stream().map(theirs.columns()::get).max(Comparator.comparingLong(Version::ts)).orElseThrow();
    }

    /** The merged row: ours in the columns only we changed and in those we won ({@code oursWon}), else the hub's. */
    Row row(Collection<String> oursWon) {
        Row here = ours.row();
        List<Object> values = new ArrayList<>(here.columns().size());
        for (String column : here.columns()) {
            boolean oursAlone = ours.columns().contains(column) && !theirs.columns().containsKey(column);
            values.add((oursAlone || oursWon.contains(column) ? here : theirs.row()).value(column));
        }
        return new Row(here.columns(), values);
    }

    /**
     * Plans the merge into {@code batch}: the policy decides each contested column, between our edit's stamp and their
     * newest change of that column. The losing values are archived with the column names, one record per side that lost
     * some. A merged row that differs from the hub's is written here and queued, for the push to send what differs.
     */
    void plan(ConflictPolicy policy, String database, String node, Instant now, PlanBuilder batch) {
        Version mine = new Version(ours.ts(), node);
        Map<Side, List<String>> won = new EnumMap<>(Side.class);
        for (String column : contested) {
            won.computeIfAbsent(policy.winner(mine, theirs.columns().get(column)), s -> new ArrayList<>()).add(column);
        }
        won.forEach((winner, columns) -> {
            Version other = theirVersion(columns);
            batch.archive.add(new ConflictRecord(database, ours.key(), now, winner == Side.LOCAL ? "local" : "hub",
                    "both sides changed " + String.join(", ", columns) + ", the rest of the row is merged; "
                    + policy.reason(winner, mine, other), ours.row(), ours.ts(), node, theirs.row(), other.ts(),
                    other.node(), columns));
        });
        Row merged = row(won.getOrDefault(Side.LOCAL, List.of()));
        if (merged.sameValues(theirs.row())) {
            batch.take(theirs);
        } else if (!merged.sameValues(ours.row())) {
            batch.takeMerged(ours, merged, Set.copyOf(theirs.row().differingColumns(merged)));
        } // else ours is the merge: it stays pending, and the push sends the columns it changed
    }
}
