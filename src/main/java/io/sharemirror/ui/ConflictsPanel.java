package io.sharemirror.ui;

import io.sharemirror.sync.ArchivedConflict;
import java.awt.BorderLayout;
import java.awt.FlowLayout;
import java.awt.Font;
import java.awt.GridLayout;
import java.util.List;
import java.util.Optional;
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
 * The Conflicts tab: every archived conflict, both versions side by side with the one that lost marked (and, for a
 * column merge, the columns in conflict), and a way to write the losing version (or values) back.
 */
final class ConflictsPanel extends JPanel {

    static final int ROWS = 1000;

    private final Commands commands;
    private final DatabaseFilter filter = new DatabaseFilter("conflictFilter");
    private final Model model = new Model();
    private final JTable table = new JTable(model);
    private final JTextArea local = versionArea("localVersion");
    private final JTextArea hub = versionArea("hubVersion");
    private final JPanel localBox = titled(local);
    private final JPanel hubBox = titled(hub);
    private final JLabel verdict = new JLabel(" ");
    private final JLabel problem = new JLabel();
    private final JButton restore = new JButton("Restore Losing Version…");
    private final JButton reviewed = new JButton("Mark All Reviewed");

    ConflictsPanel(Commands commands) {
        super(new BorderLayout());
        this.commands = commands;
        table.setName("conflictTable");
        table.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        table.getSelectionModel().addListSelectionListener(e -> showSelected());
        verdict.setName("verdict");
        restore.setName("restore");
        restore.addActionListener(e -> selected().ifPresent(c -> commands.restore(this, c, this::reload)));
        reviewed.setName("markReviewed");
        reviewed.setToolTipText("The tray stops counting these conflicts; they stay in the archive");
        reviewed.addActionListener(e -> commands.markConflictsReviewed());
        filter.addActionListener(e -> reload());

        JPanel top = new JPanel(new FlowLayout(FlowLayout.LEFT));
        top.add(new JLabel("Show:"));
        top.add(filter);
        top.add(reviewed);
        top.add(problem);
        JPanel versions = new JPanel(new GridLayout(1, 2, 8, 0));
        versions.add(localBox);
        versions.add(hubBox);
        JPanel heading = new JPanel(new BorderLayout(8, 0));
        heading.setBorder(BorderFactory.createEmptyBorder(6, 6, 6, 6));
        heading.add(verdict, BorderLayout.CENTER);
        heading.add(restore, BorderLayout.EAST);
        JPanel bottom = new JPanel(new BorderLayout());
        bottom.add(heading, BorderLayout.NORTH);
        bottom.add(versions, BorderLayout.CENTER);
        add(top, BorderLayout.NORTH);
        JSplitPane split = new JSplitPane(JSplitPane.VERTICAL_SPLIT, new JScrollPane(table), bottom);
        split.setResizeWeight(0.5);
        add(split, BorderLayout.CENTER);
        showSelected();
    }

    void databases(List<String> names) {
        filter.databases(names);
    }

    void reload() {
        filter.load(commands.background(), database -> commands.agent().conflicts(database, ROWS), rows -> {
            long chosen = selected().map(ArchivedConflict::id).orElse(-1L);
            model.rows(rows);
            for (int i = 0; i < rows.size(); i++) {
                if (rows.get(i).id() == chosen) {
                    table.setRowSelectionInterval(i, i);
                }
            }
            showSelected();
        }, problem, "The conflict archive");
    }

    private Optional<ArchivedConflict> selected() {
        int row = table.getSelectedRow();
        return row < 0 || row >= model.rows().size() ? Optional.empty() : Optional.of(model.rows().get(row));
    }

    private void showSelected() {
        Optional<ArchivedConflict> c = selected();
        local.setText(c.map(x -> version(x.localJson(), x.columns())).orElse(""));
        hub.setText(c.map(x -> version(x.hubJson(), x.columns())).orElse(""));
        local.setCaretPosition(0);
        hub.setCaretPosition(0);
        String localSide = c.map(x -> x.winner().equals("local") ? " (kept)" : " (lost)").orElse("");
        String hubSide = c.map(x -> x.winner().equals("local") ? " (lost)" : x.winner().equals("hub") ? " (kept)" : "")
                .orElse("");
        localBox.setBorder(BorderFactory.createTitledBorder("This desktop's version" + localSide));
        hubBox.setBorder(BorderFactory.createTitledBorder("Hub version" + hubSide));
        verdict.setText(c.map(x -> "<html><b>" + x.table() + " " + x.key() + "</b>"
                + (x.columns().isEmpty() ? "" : " (" + escape(columns(x)) + " in conflict, marked " + JsonLines.MARK
                + "below)") + ": " + escape(x.reason())
                + (x.restoredAt() == null ? "" : " — losing version restored " + Format.time(x.restoredAt()))
                + "</html>").orElse("Select a conflict to see both versions."));
        restore.setEnabled(c.isPresent() && c.get().restoredAt() == null);
    }

    /** A version's lines, the columns in conflict marked. */
    static String version(String json, List<String> columns) {
        return String.join("\n", JsonLines.of(json, columns));
    }

    /** The columns a conflict is about: the whole row, or those a column merge found changed on both sides. */
    static String columns(ArchivedConflict c) {
        return c.columns().isEmpty() ? "whole row" : String.join(", ", c.columns());
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;");
    }

    private static JTextArea versionArea(String name) {
        JTextArea a = new JTextArea(6, 30);
        a.setName(name);
        a.setEditable(false);
        a.setFont(new Font(Font.MONOSPACED, Font.PLAIN, a.getFont().getSize()));
        return a;
    }

    private static JPanel titled(JTextArea area) {
        JPanel p = new JPanel(new BorderLayout());
        p.add(new JScrollPane(area), BorderLayout.CENTER);
        return p;
    }

    static final class Model extends RecordTableModel<ArchivedConflict> {
        Model() {
            super("When", "Database", "Table", "Key", "Conflict in", "Kept", "Why", "Restored", "Reviewed");
        }

        @Override
        Object value(ArchivedConflict c, int column) {
            return switch (column) {
                case 0 -> Format.time(c.at());
                case 1 -> c.database();
                case 2 -> c.table();
                case 3 -> c.key();
                case 4 -> columns(c);
                case 5 -> c.winner().equals("discarded") ? "neither (discarded; see why)" : c.winner() + " version";
                case 6 -> c.reason();
                case 7 -> c.restoredAt() == null ? "" : Format.time(c.restoredAt());
                default -> c.reviewedAt() == null ? "new" : Format.time(c.reviewedAt());
            };
        }
    }
}
