package io.sharemirror.ui;

import io.sharemirror.sync.Waiting;
import io.sharemirror.sync.WayOut;
import java.awt.BorderLayout;
import java.awt.CardLayout;
import java.awt.FlowLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JSplitPane;
import javax.swing.JTable;
import javax.swing.JTextArea;
import javax.swing.ListSelectionModel;

/**
 * The Waiting tab: the changes that wait for a person, because writing them breaks a constraint and no policy can
 * decide, with the ways out. Where another row holds the values: keep mine, keep theirs, or keep both under another
 * value. Where a rule no other row holds is broken (NOT NULL, CHECK): edit the value, or discard the change.
 */
final class WaitingPanel extends JPanel {

    private static final String TWO_ROWS = "twoRows";
    private static final String ONE_ROW = "oneRow";

    private final Commands commands;
    private final DatabaseFilter filter = new DatabaseFilter("waitingFilter");
    private final Model model = new Model();
    private final JTable table = new JTable(model);
    private final JLabel problem = new JLabel();
    private final JTextArea explained = new JTextArea(4, 60);
    private final CardLayout ways = new CardLayout();
    private final JPanel buttons = new JPanel(ways);
    private final List<JButton> actions = new ArrayList<>();
    private List<String> databases = List.of();

    /** A change that waits, in its database. */
    record Row(String database, Waiting waiting) {
    }

    WaitingPanel(Commands commands) {
        super(new BorderLayout());
        this.commands = commands;
        table.setName("waitingTable");
        table.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        table.getSelectionModel().addListSelectionListener(e -> showSelected());
        explained.setName("waitingExplained");
        explained.setEditable(false);
        explained.setLineWrap(true);
        explained.setWrapStyleWord(true);
        explained.setOpaque(false);
        filter.addActionListener(e -> reload());

        JPanel twoRows = new JPanel(new FlowLayout(FlowLayout.LEFT, 6, 0));
        twoRows.add(action("keepMine", "Keep Mine…", "This computer's row keeps the values; the other loses them"
                + " (archived)", row -> commands.settle(this, row, WayOut.KEEP_MINE, this::reload)));
        twoRows.add(action("keepTheirs", "Keep Theirs…", "The hub's row keeps the values; this computer's loses them"
                + " (archived)", row -> commands.settle(this, row, WayOut.KEEP_THEIRS, this::reload)));
        twoRows.add(action("keepBoth", "Keep Both…", "Both rows stay: type another value for one of them",
                row -> KeepBothDialog.open(this, commands, row, this::reload)));
        JPanel oneRow = new JPanel(new FlowLayout(FlowLayout.LEFT, 6, 0));
        oneRow.add(action("editValue", "Edit Value…", "Type a value that keeps the rule",
                row -> KeepBothDialog.open(this, commands, row, this::reload)));
        oneRow.add(action("discardChange", "Discard Change…", "The change goes to the conflict archive",
                row -> commands.settle(this, row, WayOut.DISCARD, this::reload)));
        buttons.add(twoRows, TWO_ROWS);
        buttons.add(oneRow, ONE_ROW);

        JPanel top = new JPanel(new FlowLayout(FlowLayout.LEFT));
        top.add(new JLabel("Show:"));
        top.add(filter);
        top.add(problem);
        JPanel bottom = new JPanel(new BorderLayout(0, 6));
        bottom.setBorder(BorderFactory.createEmptyBorder(6, 6, 6, 6));
        bottom.add(explained, BorderLayout.CENTER);
        bottom.add(buttons, BorderLayout.SOUTH);
        add(top, BorderLayout.NORTH);
        JSplitPane split = new JSplitPane(JSplitPane.VERTICAL_SPLIT, new JScrollPane(table), bottom);
        split.setResizeWeight(0.6);
        add(split, BorderLayout.CENTER);
        showSelected();
    }

    private JButton action(String name, String title, String tip, Consumer<Row> run) {
        JButton b = new JButton(title);
        b.setName(name);
        b.setToolTipText(tip);
        b.addActionListener(e -> selected().ifPresent(run));
        actions.add(b);
        return b;
    }

    void databases(List<String> names) {
        databases = List.copyOf(names);
        filter.databases(names);
    }

    /** Reads the changes that wait again, from the replicas, off the event thread. */
    void reload() {
        List<String> all = databases;
        filter.load(commands.background(), database -> {
            List<Row> rows = new ArrayList<>();
            for (String name : database == null ? all : List.of(database)) {
                commands.agent().waiting(name).forEach(w -> rows.add(new Row(name, w)));
            }
            return rows;
        }, rows -> {
            Optional<Waiting> chosen = selected().map(Row::waiting);
            model.rows(rows);
            for (int i = 0; i < rows.size(); i++) {
                Waiting w = rows.get(i).waiting();
                if (chosen.map(c -> same(c, w)).orElse(false)) {
                    table.setRowSelectionInterval(i, i);
                }
            }
            if (table.getSelectedRow() < 0 && !rows.isEmpty()) {
                table.setRowSelectionInterval(0, 0);
            }
            showSelected();
        }, problem, "The rows that wait");
    }

    private static boolean same(Waiting a, Waiting b) {
        return a.key().equals(b.key()) && a.fromHub() == b.fromHub();
    }

    private Optional<Row> selected() {
        int row = table.getSelectedRow();
        return row < 0 || row >= model.rows().size() ? Optional.empty() : Optional.of(model.rows().get(row));
    }

    private void showSelected() {
        Optional<Row> r = selected();
        actions.forEach(b -> b.setEnabled(r.isPresent()));
        ways.show(buttons, r.map(x -> x.waiting().clash().other() == null ? ONE_ROW : TWO_ROWS).orElse(TWO_ROWS));
        explained.setText(r.map(WaitingPanel::explain).orElse(model.rows().isEmpty()
                ? "Nothing waits: every change was written where it goes." : "Select a row to see the ways out."));
    }

    /** What waits, and what each way out would do, for people. */
    private static String explain(Row r) {
        Waiting w = r.waiting();
        String mine = w.fromHub() ? w.clash().other().describe() + " on this computer"
                : w.key().describe() + " made here";
        String text = r.database() + ": " + w.describe() + ", since " + Format.time(w.since()) + ".\n"
                + (w.fromHub() ? "This change from the hub is not written here" : "This change is not on the hub yet")
                + "; everything else syncs.\n";
        if (w.clash().other() == null) {
            text += "No other row holds the values: edit the value so that it keeps the rule, or discard the change.";
        } else {
            String theirs = w.fromHub() ? w.key().describe() + " from the hub" : w.clash().other().describe()
                    + " on the hub";
            text += "Keep Mine: " + mine + " keeps " + w.clash().values() + ". Keep Theirs: " + theirs + " keeps it."
                    + " The row that loses is archived (Conflicts), where Restore brings it back. Keep Both: type"
                    + " another value for one of them.";
        }
        return text;
    }

    /** Text for an HTML label: a row's values may hold anything. */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;");
    }

    private static final class Model extends RecordTableModel<Row> {
        Model() {
            super("Since", "Database", "Table", "Key", "Change", "Breaks", "Values", "Other row");
        }

        @Override
        Object value(Row r, int column) {
            Waiting w = r.waiting();
            return switch (column) {
                case 0 -> Format.time(w.since());
                case 1 -> r.database();
                case 2 -> w.key().table();
                case 3 -> w.key().pk();
                case 4 -> w.fromHub() ? "from the hub" : "made here";
                case 5 -> w.clash().constraint();
                case 6 -> w.clash().values();
                default -> w.clash().other() == null ? "none" : w.clash().other().describe()
                        + (w.fromHub() ? " here" : " on the hub");
            };
        }
    }
}
