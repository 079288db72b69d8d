package io.sharemirror.sync;

import io.sharemirror.sync.conflict.ConflictPolicy.Version;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
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
}
