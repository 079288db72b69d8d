package io.sharemirror.ui;

import io.sharemirror.sync.Key;
import io.sharemirror.sync.Waiting;
import java.awt.Component;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.swing.BorderFactory;
import javax.swing.ButtonGroup;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JRadioButton;
import javax.swing.JTextField;
import javax.swing.SwingUtilities;
import javax.swing.UIManager;

/**
 * Keep Both… (and Edit Value… for a rule no other row holds): the person picks the row that takes other values and types
 * them for the constraint's columns. The agent checks them here and on the hub before anything is written; a clash is
 * said in the dialog, which stays open for other values.
 */
final class KeepBothDialog extends JDialog {

    /** Long lines (a description, a refusal) wrap at this width. */
    private static final String WIDE = "<html><body style='width: 460px'>";

    private final Commands commands;
    private final WaitingPanel.Row row;
    private final Runnable done;
    private final JRadioButton waitingRow = new JRadioButton();
    private final JRadioButton otherRow = new JRadioButton();
    /** The column name, when the constraint names none a person could be offered. */
    private final JTextField column = new JTextField(14);
    private final Map<String, JTextField> values = new LinkedHashMap<>();
    private final JLabel problem = new JLabel(" ");
    private final JButton ok;

    private KeepBothDialog(Component parent, Commands commands, WaitingPanel.Row row, Runnable done) {
        super(parent == null ? null : SwingUtilities.getWindowAncestor(parent), title(row.waiting()),
                ModalityType.APPLICATION_MODAL);
        this.commands = commands;
        this.row = row;
        this.done = done;
        Waiting w = row.waiting();
        setName("keepBothDialog");
        problem.setName("keepBothProblem");
        problem.setForeground(UIManager.getColor("Actions.Red"));
        ok = new JButton(w.clash().other() == null ? "Save Value" : "Keep Both");
        ok.setName("keepBothOk");
        ok.addActionListener(e -> accept());
        JButton cancel = new JButton("Cancel");
        cancel.addActionListener(e -> dispose());

        JPanel form = new JPanel(new GridBagLayout());
        form.setBorder(BorderFactory.createEmptyBorder(12, 12, 4, 12));
        GridBagConstraints c = new GridBagConstraints();
        c.insets = new Insets(3, 4, 3, 4);
        c.anchor = GridBagConstraints.WEST;
        c.gridwidth = 2;
        c.gridy = 0;
        form.add(new JLabel(WIDE + "<b>" + WaitingPanel.escape(row.database() + ": " + w.describe()) + "</b></html>"), c);
        if (w.clash().other() != null) {
            waitingRow.setName("waitingRow");
            otherRow.setName("otherRow");
            waitingRow.setText(side(w, w.key()));
            otherRow.setText(side(w, w.clash().other()));
            ButtonGroup group = new ButtonGroup();
            group.add(waitingRow);
            group.add(otherRow);
            waitingRow.setSelected(true);
            c.gridy++;
            form.add(new JLabel("The row that takes another value:"), c);
            c.gridy++;
            form.add(waitingRow, c);
            c.gridy++;
            form.add(otherRow, c);
        }
        c.gridy++;
        form.add(new JLabel(w.clash().values().isEmpty() ? "Its new value:" : "Now " + w.clash().values()
                + ". The new value:"), c);
        c.gridwidth = 1;
        List<String> columns = w.clash().columns();
        if (columns.isEmpty()) {
            column.setName("keepBothColumn");
            field(form, c, "Column:", column);
            values.put("", field(form, c, "Value:", named(new JTextField(20), "keepBothValue")));
        } else {
            for (String name : columns) {
                values.put(name, field(form, c, name + ":", named(new JTextField(20), "value-" + name)));
            }
        }
        c.gridwidth = 2;
        c.gridy++;
        c.gridx = 0;
        form.add(problem, c);
        DialogLayout.formWithButtons(this, form, ok, cancel);
        pack();
        setLocationRelativeTo(parent);
    }

    static void open(Component parent, Commands commands, WaitingPanel.Row row, Runnable done) {
        new KeepBothDialog(parent, commands, row, done).setVisible(true);
    }

    private static String title(Waiting w) {
        return w.clash().other() == null ? "Edit Value" : "Keep Both";
    }

    /** Which row a choice names, for people: "supplier [10], made here" or "supplier [30], the hub's". */
    private static String side(Waiting w, Key key) {
        boolean ours = w.fromHub() != key.equals(w.key());
        return key.describe() + (ours ? ", this computer's" : ", the hub's");
    }

    private static JTextField named(JTextField field, String name) {
        field.setName(name);
        return field;
    }

    private static JTextField field(JPanel form, GridBagConstraints c, String label, JTextField field) {
        c.gridy++;
        c.gridx = 0;
        form.add(new JLabel(label), c);
        c.gridx = 1;
        form.add(field, c);
        return field;
    }

    private void accept() {
        Waiting w = row.waiting();
        Key chosen = w.clash().other() != null && otherRow.isSelected() ? w.clash().other() : w.key();
        Map<String, String> typed = new LinkedHashMap<>();
        values.forEach((name, field) -> typed.put(name.isEmpty() ? column.getText().trim() : name, field.getText()));
        ok.setEnabled(false);
        problem.setText("Checking here and on the hub…");
        commands.background().run(() -> commands.agent().rewrite(row.database(), w, chosen, typed).join(), cycle -> {
            dispose();
            commands.report(row.database() + ": " + chosen.describe() + " took the values typed; it syncs");
            done.run();
        }, e -> {
            problem.setText(WIDE + WaitingPanel.escape(Failures.describe(e)).replace("\n", "<br>") + "</html>");
            ok.setEnabled(true);
            pack();
        });
    }
}
