package io.sharemirror.ui;

import io.sharemirror.status.ClockSkew;
import io.sharemirror.status.DatabaseStatus;
import io.sharemirror.status.StatusSnapshot;
import java.awt.BorderLayout;
import java.awt.Component;
import java.awt.FlowLayout;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import java.awt.Toolkit;
import java.awt.datatransfer.StringSelection;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JSplitPane;
import javax.swing.JTable;
import javax.swing.JTextField;
import javax.swing.ListSelectionModel;
import javax.swing.table.DefaultTableCellRenderer;

/** The Databases tab: one row per database, and the details of the selected one with its actions. */
final class DatabasesPanel extends JPanel {

    private final Commands commands;
    private final Model model = new Model();
    private final JTable table = new JTable(model);
    private final JTextField replicaPath = readOnly("replicaPath");
    private final JTextField hubPath = readOnly("hubPath");
    private final JLabel hubKind = new JLabel(" ");
    private final JLabel why = new JLabel(" ");
    private final JLabel problem = new JLabel(" ");
    private final JLabel clock = new JLabel(" ");
    private final JButton syncNow = new JButton("Sync Now");
    private final JButton clearCache = new JButton("Clear Cache…");
    private final JButton edit = new JButton("Edit…");
    private final JButton remove = new JButton("Remove…");
    private final JButton copyReplica = new JButton("Copy");
    private final PendingWritesPanel pending;

    DatabasesPanel(Commands commands) {
        super(new BorderLayout());
        this.commands = commands;
        this.pending = new PendingWritesPanel(commands);
        table.setName("databaseTable");
        table.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        table.setRowHeight(Math.max(table.getRowHeight(), 22));
        table.getColumnModel().getColumn(0).setCellRenderer(new DefaultTableCellRenderer() {
            @Override
            public Component getTableCellRendererComponent(JTable t, Object value, boolean selected, boolean focus,
                                                           int row, int column) {
                super.getTableCellRendererComponent(t, value, selected, focus, row, column);
                DatabaseStatus s = model.rows().get(t.convertRowIndexToModel(row));
                setIcon(StateIcons.dot(s.state(), 14));
                setText(Format.state(s.state()) + (s.syncing() ? " (syncing)" : ""));
                return this;
            }
        });
        table.getSelectionModel().addListSelectionListener(e -> showSelected());
        syncNow.setName("syncNow");
        clearCache.setName("clearCache");
        edit.setName("editDatabase");
        remove.setName("removeDatabase");
        copyReplica.setName("copyReplicaPath");
        syncNow.addActionListener(e -> selected().ifPresent(s -> commands.sync(s.name())));
        clearCache.addActionListener(e -> selected().ifPresent(s -> commands.clearCache(this, s.name())));
        edit.addActionListener(e -> selected().ifPresent(s -> commands.editDatabase(this, s.name())));
        remove.addActionListener(e -> selected().ifPresent(s -> commands.removeDatabase(this, s.name())));
        copyReplica.addActionListener(e -> Toolkit.getDefaultToolkit().getSystemClipboard()
                .setContents(new StringSelection(replicaPath.getText()), null));
        hubKind.setName("hubKind");
        why.setName("placement");
        problem.setName("problem");
        clock.setName("clock");

        JPanel below = new JPanel(new BorderLayout());
        below.add(details(), BorderLayout.NORTH);
        below.add(pending, BorderLayout.CENTER);
        JSplitPane split = new JSplitPane(JSplitPane.VERTICAL_SPLIT, new JScrollPane(table), below);
        split.setResizeWeight(0.4);
        add(split, BorderLayout.CENTER);
        showSelected();
    }

    private JPanel details() {
        JPanel p = new JPanel(new GridBagLayout());
        p.setBorder(BorderFactory.createEmptyBorder(8, 8, 8, 8));
        GridBagConstraints c = new GridBagConstraints();
        c.insets = new Insets(2, 4, 2, 4);
        c.anchor = GridBagConstraints.WEST;
        String[] labels = {"Replica (local file):", "Hub:", "Kind of hub:", "Mirrored or direct:", "Last problem:",
            "Clock:"};
        Component[] fields = {replicaPath, hubPath, hubKind, why, problem, clock};
        for (int i = 0; i < labels.length; i++) {
            c.gridy = i;
            c.gridx = 0;
            c.weightx = 0;
            c.fill = GridBagConstraints.NONE;
            p.add(new JLabel(labels[i]), c);
            c.gridx = 1;
            c.weightx = 1;
            c.fill = GridBagConstraints.HORIZONTAL;
            p.add(fields[i], c);
            if (i == 0) {
                c.gridx = 2;
                c.weightx = 0;
                p.add(copyReplica, c);
            }
        }
        JButton add = new JButton("Add Database…");
        add.setName("addDatabase");
        add.addActionListener(e -> commands.addDatabase(this));
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.LEFT, 4, 0));
        buttons.add(syncNow);
        buttons.add(clearCache);
        buttons.add(edit);
        buttons.add(remove);
        buttons.add(add);
        c.gridy = labels.length;
        c.gridx = 1;
        p.add(buttons, c);
        return p;
    }

    void show(StatusSnapshot snapshot) {
        String chosen = selected().map(DatabaseStatus::name).orElse(null);
        model.rows(snapshot.databases());
        int index = chosen == null ? 0 : Math.max(0, names().indexOf(chosen));
        if (!model.rows().isEmpty()) {
            table.setRowSelectionInterval(index, index);
        }
        showSelected();
    }

    /** Sizes come from disk (and the share for the hub), so they arrive separately, off the event thread. */
    void sizes(Map<String, AgentControl.FileSizes> sizes) {
        model.sizes = new HashMap<>(sizes);
        model.refreshAll();
    }

    /** While sync is paused no cycle is due: Next sync says so instead of counting down. */
    void paused(boolean paused) {
        if (model.paused != paused) {
            model.paused = paused;
            model.refreshAll();
        }
    }

    /** Keeps "next sync in 12 s" counting without a status change. */
    void tick() {
        model.refreshAll();
    }

    List<String> names() {
        return model.rows().stream().map(DatabaseStatus::name).toList();
    }

    private java.util.Optional<DatabaseStatus> selected() {
        int row = table.getSelectedRow();
        return row < 0 || row >= model.rows().size() ? java.util.Optional.empty()
                : java.util.Optional.of(model.rows().get(table.convertRowIndexToModel(row)));
    }

    private void showSelected() {
        var s = selected();
        replicaPath.setText(s.map(d -> d.replicaPath() == null ? "(none: opened directly on the share)" : d.replicaPath())
                .orElse(""));
        hubPath.setText(s.map(DatabaseStatus::hubPath).orElse(""));
        hubKind.setText(s.map(DatabaseStatus::hubKind).orElse(" "));
        why.setText(s.map(DatabaseStatus::placement).orElse(" "));
        problem.setText(s.map(d -> d.error() == null ? "none" : d.error() + (d.hint() == null ? "" : " — " + d.hint()))
                .orElse(" "));
        clock.setText(s.map(DatabasesPanel::clockText).orElse(" "));
        boolean mirrored = s.map(DatabaseStatus::mirrored).orElse(false);
        syncNow.setEnabled(mirrored);
        clearCache.setEnabled(mirrored);
        copyReplica.setEnabled(mirrored);
        edit.setEnabled(s.isPresent());
        remove.setEnabled(s.isPresent());
        pending.show(s.orElse(null));
    }

    /** The measured skew, with what to do about it when it is large enough to matter. */
    private static String clockText(DatabaseStatus d) {
        if (d.clock() == null) {
            return d.mirrored() ? "not measured yet" : "—";
        }
        String text = d.clock().describe();
        return d.clock().noticeable() ? text + " — " + ClockSkew.HINT : text;
    }

    private static JTextField readOnly(String name) {
        JTextField f = new JTextField();
        f.setName(name);
        f.setEditable(false);
        return f;
    }

    private static final class Model extends RecordTableModel<DatabaseStatus> {
        Map<String, AgentControl.FileSizes> sizes = new HashMap<>();
        boolean paused;

        Model() {
            super("State", "Database", "Pending writes", "Last sync", "Next sync", "Replica size", "Hub size", "Mode");
        }

        @Override
        Object value(DatabaseStatus s, int column) {
            AgentControl.FileSizes size = sizes.get(s.name());
            return switch (column) {
                case 0 -> Format.state(s.state());
                case 1 -> s.name();
                case 2 -> s.mirrored() ? Long.toString(s.pendingWrites()) : "—";
                case 3 -> s.mirrored() ? Format.time(s.lastSync()) : "—";
                case 4 -> !s.mirrored() ? "—" : paused ? "paused" : Format.until(s.nextSync(), Instant.now());
                case 5 -> size == null ? "…" : Format.bytes(size.replica());
                case 6 -> size == null ? "…" : Format.bytes(size.hub());
                default -> s.mirrored() ? "mirrored" : "direct";
            };
        }
    }
}
