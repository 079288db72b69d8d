package io.sharemirror.ui;

import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.Renumbering;
import java.awt.BorderLayout;
import java.awt.FlowLayout;
import java.util.List;
import javax.swing.BorderFactory;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JSplitPane;
import javax.swing.JTable;

/**
 * The History tab: a chart of recent cycles over the table of them, and the rows made here that were renumbered
 * because their key was taken on the hub; filtered by database.
 */
final class HistoryPanel extends JPanel {

    static final int ROWS = 500;

    private final Commands commands;
    private final DatabaseFilter filter = new DatabaseFilter("historyFilter");
    private final HistoryChart chart = new HistoryChart();
    private final Model model = new Model();
    private final JTable table = new JTable(model);
    private final RenumberedModel renumbered = new RenumberedModel();
    private final JLabel problem = new JLabel();

    HistoryPanel(Commands commands) {
        super(new BorderLayout());
        this.commands = commands;
        table.setName("historyTable");
        filter.addActionListener(e -> reload());
        JPanel top = new JPanel(new FlowLayout(FlowLayout.LEFT));
        top.add(new JLabel("Show:"));
        top.add(filter);
        top.add(problem);
        add(top, BorderLayout.NORTH);
        JTable renumberedTable = new JTable(renumbered);
        renumberedTable.setName("renumberedTable");
        JPanel renumberedBox = new JPanel(new BorderLayout());
        renumberedBox.setBorder(BorderFactory.createTitledBorder("Rows made here that were renumbered"));
        renumberedBox.add(new JScrollPane(renumberedTable), BorderLayout.CENTER);
        JSplitPane cycles = new JSplitPane(JSplitPane.VERTICAL_SPLIT, new JScrollPane(table), renumberedBox);
        cycles.setResizeWeight(0.7);
        JSplitPane split = new JSplitPane(JSplitPane.VERTICAL_SPLIT, chart, cycles);
        split.setResizeWeight(0.3);
        add(split, BorderLayout.CENTER);
    }

    void databases(List<String> names) {
        filter.databases(names);
    }

    /** Reads the history again, off the event thread. */
    void reload() {
        filter.load(commands.background(), database -> commands.agent().history(database, ROWS), rows -> {
            model.rows(rows);
            chart.show(rows);
        }, problem, "The history");
        filter.load(commands.background(), database -> commands.agent().renumbered(database, ROWS), renumbered::rows,
                problem, "The renumbered rows");
    }

    private static final class RenumberedModel extends RecordTableModel<Renumbering> {
        RenumberedModel() {
            super("When", "Database", "Table", "Was", "Now", "What happened");
        }

        @Override
        Object value(Renumbering r, int column) {
            return switch (column) {
                case 0 -> Format.time(r.at());
                case 1 -> r.database();
                case 2 -> r.table();
                case 3 -> r.from();
                case 4 -> r.to();
                default -> r.describe();
            };
        }
    }

    private static final class Model extends RecordTableModel<CycleRecord> {
        Model() {
            super("Started", "Database", "Outcome", "Duration", "Pushed", "Pulled", "Conflicts", "Pending after",
                    "Error");
        }

        @Override
        Object value(CycleRecord r, int column) {
            return switch (column) {
                case 0 -> Format.time(r.started());
                case 1 -> r.database();
                case 2 -> r.outcome().name().toLowerCase();
                case 3 -> Format.duration(r.duration());
                case 4 -> r.pushed();
                case 5 -> r.pulled();
                case 6 -> r.conflicts();
                case 7 -> r.pending() < 0 ? "—" : r.pending();
                default -> r.error() == null ? "" : r.error() + (r.hint() == null ? "" : " — " + r.hint());
            };
        }
    }
}
