package io.sharemirror.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sharemirror.sync.ArchivedConflict;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Conflicts tab says which columns a column merge found changed on both sides, and marks them in both versions. */
class ConflictsPanelTest {

    private static final String OURS = "{\"id\":1,\"name\":\"bolt M6\",\"qty\":12}";

    private static ArchivedConflict conflict(List<String> columns) {
        return new ArchivedConflict(1, "db", "item", "[1]", Instant.EPOCH, "hub", "why", OURS,
                "{\"id\":1,\"name\":\"bolt M6\",\"qty\":11}", null, null, columns);
    }

    @Test
    void theColumnsInConflictAreListedAndMarked() {
        ConflictsPanel.Model model = new ConflictsPanel.Model();
        model.rows(List.of(conflict(List.of("qty")), conflict(List.of())));
        assertEquals("Conflict in", model.getColumnName(4));
        assertEquals("qty", model.getValueAt(0, 4));
        assertEquals("whole row", model.getValueAt(1, 4));
        assertEquals("  id = 1\n  name = \"bolt M6\"\n» qty = 12", ConflictsPanel.version(OURS, List.of("qty")));
        assertEquals("id = 1\nname = \"bolt M6\"\nqty = 12", ConflictsPanel.version(OURS, List.of()),
                "a whole row's conflict marks nothing");
    }
}
