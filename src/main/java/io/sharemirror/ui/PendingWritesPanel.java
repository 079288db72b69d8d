package io.sharemirror.ui;

import io.sharemirror.status.DatabaseStatus;
import io.sharemirror.status.PendingWrite;
import java.awt.BorderLayout;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.swing.BorderFactory;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTable;

/**
 * The writes a database has waiting to be pushed: table, key, what was done to the row and since when. Read from the
 * replica (never the share) on the background thread, again whenever the count or the last sync changes.
 */
final class PendingWritesPanel extends JPanel {

    /** Rows listed; the note says how many more wait. */
    static final int SHOWN = 200;

    private final Commands commands;
    private final Model model = new Model();
    private final JLabel note = new JLabel(" ");
    private String loaded;

    PendingWritesPanel(Commands commands) {
        super(new BorderLayout());
        this.commands = commands;
        setBorder(BorderFactory.createTitledBorder("Writes waiting to be pushed"));
        JTable table = new JTable(model);
        table.setName("pendingTable");
        note.setName("pendingNote");
        add(new JScrollPane(table), BorderLayout.CENTER);
        add(note, BorderLayout.SOUTH);
    }

    /** Shows the selected database's waiting writes (none selected: nothing), reading them again if they changed. */
    void show(DatabaseStatus db) {
        String mark = db == null ? null : db.name() + "/" + db.pendingWrites() + "/" + db.lastSync() + "/" + db.state();
        if (Objects.equals(mark, loaded)) {
            return;
        }
        loaded = mark;
        if (db == null || !db.mirrored()) {
            model.rows(List.of());
            note.setText(db == null ? " " : "Opened directly on the share: nothing waits here.");
            return;
        }
        commands.background().run(() -> commands.agent().pendingList(db.name(), SHOWN), rows -> {
            model.rows(rows);
            note.setText(rows.isEmpty() ? "Nothing waits: every write made here is on the share."
                    : rows.size() < db.pendingWrites() ? "The oldest " + rows.size() + " of " + db.pendingWrites() + "."
                    : Format.count(rows.size(), "write waits", "writes wait") + " for the next sync.");
        }, e -> note.setText("The waiting writes could not be read: " + Failures.describe(e)));
    }

    private static final class Model extends RecordTableModel<PendingWrite> {
        Model() {
            super("Table", "Key", "Change", "Since");
        }

        @Override
        Object value(PendingWrite w, int column) {
            return switch (column) {
                case 0 -> w.table();
                case 1 -> w.key();
                case 2 -> w.change().name().toLowerCase(Locale.ROOT);
                default -> Format.time(w.since());
            };
        }
    }
}
