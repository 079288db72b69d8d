package io.sharemirror.ui;

import io.sharemirror.config.SyncInterval;
import java.awt.Component;
import java.awt.Window;
import java.time.Duration;
import java.util.Optional;
import javax.swing.BorderFactory;
import javax.swing.BoxLayout;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JTextField;
import javax.swing.SwingUtilities;
import javax.swing.UIManager;

/** Sync Interval → Custom…: checks the text as it is typed and says what is wrong and what is allowed. */
final class IntervalDialog extends JDialog {

    private final JTextField field = new JTextField(12);
    private final JLabel problem = new JLabel(" ");
    private final JButton ok = new JButton("Set Interval");
    private Duration chosen;

    private IntervalDialog(Window owner, Duration current) {
        super(owner, "Sync Interval", ModalityType.APPLICATION_MODAL);
        setName("intervalDialog");
        field.setName("intervalField");
        problem.setName("intervalProblem");
        ok.setName("intervalOk");
        problem.setForeground(UIManager.getColor("Actions.Red"));
        field.setText(current == null ? "" : SyncInterval.format(current));

        JPanel form = new JPanel();
        form.setLayout(new BoxLayout(form, BoxLayout.Y_AXIS));
        form.setBorder(BorderFactory.createEmptyBorder(12, 12, 4, 12));
        form.add(new JLabel("Sync every (for example 45 s, 5 min, 2 h):"));
        form.add(field);
        form.add(problem);
        field.setAlignmentX(LEFT_ALIGNMENT);

        JButton cancel = new JButton("Cancel");
        cancel.addActionListener(e -> dispose());
        ok.addActionListener(e -> accept());
        field.addActionListener(e -> accept());
        TextChanges.follow(field, this::check);
        DialogLayout.formWithButtons(this, form, ok, cancel);
        check();
        pack();
        setLocationRelativeTo(owner);
    }

    /** Shows the dialog and waits; empty when cancelled. */
    static Optional<Duration> ask(Component parent, Duration current) {
        IntervalDialog d = new IntervalDialog(parent == null ? null : SwingUtilities.getWindowAncestor(parent), current);
        d.setVisible(true);
        return Optional.ofNullable(d.chosen);
    }

    private Optional<Duration> parsed() {
        try {
            Duration d = SyncInterval.parse(field.getText());
            problem.setText(" ");
            return Optional.of(d);
        } catch (IllegalArgumentException e) {
            problem.setText(e.getMessage());
            return Optional.empty();
        }
    }

    private void check() {
        ok.setEnabled(parsed().isPresent());
        pack();
    }

    private void accept() {
        parsed().ifPresent(d -> {
            chosen = d;
            dispose();
        });
    }
}
