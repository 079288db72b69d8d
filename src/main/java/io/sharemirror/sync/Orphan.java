package io.sharemirror.sync;

import java.util.List;

/**
 * A row left pointing at a row that is gone, where one side's change is ours: our row points at a row whose delete
 * came from the hub, or a row from the hub points at one we deleted. (Rows that point nowhere on the hub itself are
 * mirrored as they are.) Decided as if the delete ran after the other write, as SQLite would: see
 * {@link Planner}.
 *
 * @param columns the child's columns of the foreign key
 * @param onDelete CASCADE, SET NULL, SET DEFAULT, RESTRICT or NO ACTION
 * @param childIsOurs the child's change is ours and the delete came from the hub; else the delete is ours
 */
public record Orphan(Key child, Key parent, List<String> columns, String onDelete, boolean childIsOurs) {

    public Orphan {
        columns = List.copyOf(columns);
    }
}
