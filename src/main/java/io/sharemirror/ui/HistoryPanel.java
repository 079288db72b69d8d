package io.sharemirror.ui;

import io.sharemirror.sync.CycleRecord;
import java.awt.BorderLayout;
import java.awt.FlowLayout;
import java.util.ArrayList;
import java.util.List;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JSplitPane;
import javax.swing.JTable;
import javax.swing.table.AbstractTableModel;

/** The History tab: a chart of recent cycles over the table of them, filtered by database. */
final class HistoryPanel extends JPanel {

    static final int ROWS = 500;

    private final Commands commands;
    private final DatabaseFilter filter = new DatabaseFilter("historyFilter");
    private final HistoryChart chart = new HistoryChart();
    private final Model model = new Model();
    private final JTable table = new JTable(model);
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
        JSplitPane split = new JSplitPane(JSplitPane.VERTICAL_SPLIT, chart, new JScrollPane(table));
        split.setResizeWeight(0.3);
        add(split, BorderLayout.CENTER);
    }

    void databases(List<String> names) {
        filter.databases(names);
    }

    /** Reads the history again, off the event thread. */
    void reload() {
        String database = filter.database();
        commands.background().run(() -> commands.agent().history(database, ROWS), rows -> {
            if (java.util.Objects.equals(database, filter.database())) {
                model.rows = new ArrayList<>(rows);
                model.fireTableDataChanged();
                chart.show(rows);
                problem.setText("");
            }
        }, e -> problem.setText("The history could not be read: " + Failures.describe(e)));
    }

    private static final class Model extends AbstractTableModel {
        private static final String[] COLUMNS = {"Started", "Database", "Outcome", "Duration", "Pushed", "Pulled",
            "Conflicts", "Pending after", "Error"};
        List<CycleRecord> rows = new ArrayList<>();

        @Override
        public int getRowCount() {
            return rows.size();
        }

        @Override
        public int getColumnCount() {
            return COLUMNS.length;
        }

        @Override
        public String getColumnName(int column) {
            return COLUMNS[column];
        }

        @Override
        public Object getValueAt(int row, int column) {
            CycleRecord r = rows.get(row);
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
