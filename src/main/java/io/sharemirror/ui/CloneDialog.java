package io.sharemirror.ui;

import io.sharemirror.config.DatabaseDraft;
import io.sharemirror.status.DatabaseStatus;
import io.sharemirror.status.StatusModel;
import io.sharemirror.sync.CloneProgress;
import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.Window;
import java.time.Duration;
import javax.swing.BorderFactory;
import javax.swing.BoxLayout;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JProgressBar;
import javax.swing.SwingUtilities;
import javax.swing.WindowConstants;

/**
 * The first copy of a database just added: bytes copied of the total, time left and Cancel while the hub is copied,
 * the rows once it is here, then the first sync's outcome. Cancel takes the database out of the config again.
 * The copying thread reports through {@link CloneProgress}; the window follows the status model for the outcome.
 */
final class CloneDialog extends JDialog implements CloneProgress {

    private static final int STEPS = 1000;

    private final Commands commands;
    private final String database;
    private final JLabel headline = new JLabel();
    private final JProgressBar bar = new JProgressBar(0, STEPS);
    private final JLabel detail = new JLabel("Opening the hub…");
    private final JButton cancel = new JButton("Cancel");
    private final JButton close = new JButton("Close");
    private final StatusModel.Listener listener = s -> SwingUtilities.invokeLater(this::follow);
    private volatile boolean cancelled;
    private volatile long firstStep;
    private boolean over;

    CloneDialog(Window owner, Commands commands, DatabaseDraft draft) {
        super(owner, "Adding " + draft.name(), ModalityType.MODELESS);
        this.commands = commands;
        this.database = draft.name();
        setName("cloneDialog");
        headline.setName("cloneHeadline");
        bar.setName("cloneProgress");
        detail.setName("cloneDetail");
        cancel.setName("cloneCancel");
        close.setName("cloneClose");
        headline.setText("Copying " + draft.copiedFrom() + " to this computer");
        headline.setToolTipText(draft.path());
        bar.setIndeterminate(true);
        bar.setStringPainted(true);
        bar.setString("");
        close.setVisible(false);
        cancel.addActionListener(e -> cancel());
        close.addActionListener(e -> dispose());
        setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);
        addWindowListener(new java.awt.event.WindowAdapter() {
            @Override
            public void windowClosing(java.awt.event.WindowEvent e) {
                if (over) {
                    dispose();
                } else {
                    cancel();
                }
            }
        });

        JPanel body = new JPanel();
        body.setLayout(new BoxLayout(body, BoxLayout.Y_AXIS));
        body.setBorder(BorderFactory.createEmptyBorder(14, 14, 6, 14));
        for (var c : new javax.swing.JComponent[] {headline, bar, detail}) {
            c.setAlignmentX(LEFT_ALIGNMENT);
            body.add(c);
            body.add(javax.swing.Box.createVerticalStrut(8));
        }
        bar.setPreferredSize(new Dimension(460, bar.getPreferredSize().height));
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.RIGHT));
        buttons.add(cancel);
        buttons.add(close);
        add(body, BorderLayout.CENTER);
        add(buttons, BorderLayout.SOUTH);
        pack();
        setLocationRelativeTo(owner);
    }

    /** Shows the window once the database is in the config; the copy may have reported already. */
    void start() {
        commands.agent().subscribe(listener);
        setLocationRelativeTo(getOwner());
        setVisible(true);
        follow();
    }

    @Override
    public boolean copying(long bytesCopied, long bytesTotal) {
        long now = System.nanoTime();
        if (firstStep == 0) {
            firstStep = now;
        }
        Duration elapsed = Duration.ofNanos(now - firstStep);
        SwingUtilities.invokeLater(() -> showCopying(bytesCopied, bytesTotal, elapsed));
        return !cancelled;
    }

    @Override
    public void copied(long rows, int tables) {
        SwingUtilities.invokeLater(() -> {
            bar.setIndeterminate(false);
            bar.setValue(STEPS);
            bar.setString("100 %");
            detail.setText("Copied " + String.format("%,d", rows) + (rows == 1 ? " row" : " rows") + " in "
                    + Format.count(tables, "table", "tables") + "; the first sync follows…");
        });
    }

    private void showCopying(long bytes, long total, Duration elapsed) {
        if (over || cancelled) {
            return;
        }
        bar.setIndeterminate(false);
        int step = total <= 0 ? 0 : (int) (bytes * STEPS / total);
        bar.setValue(step);
        bar.setString(step / 10 + " %");
        String left = "";
        if (bytes > 0 && bytes < total && elapsed.toMillis() > 500) {
            left = " · " + Format.remaining(elapsed.multipliedBy(total - bytes).dividedBy(bytes));
        }
        detail.setText(Format.bytes(bytes) + " of " + Format.bytes(total) + " copied" + left);
    }

    private void cancel() {
        if (over) {
            return;
        }
        cancelled = true;
        cancel.setEnabled(false);
        detail.setText("Cancelling: the copy stops, then " + database + " is taken out of the config again…");
    }

    /** The first sync's outcome, from the status model. */
    private void follow() {
        DatabaseStatus s = commands.agent().statusSnapshot().database(database).orElse(null);
        if (over || s == null || s.syncing() || (s.mirrored() && s.lastSync() == null && s.error() == null)) {
            return;
        }
        if (cancelled) {
            end("Taking " + database + " out again…");
            commands.background().run(() -> {
                commands.agent().setup().remove(database, false, true);
                return database;
            }, n -> {
                detail.setText(n + " was not added: the copy was cancelled, and nothing of it was kept.");
                commands.report(n + " was not added (cancelled)");
                pack();
            }, e -> detail.setText("Cancelled, but " + database + " could not be taken out of the config: "
                    + Failures.describe(e)));
            return;
        }
        if (!s.mirrored()) {
            headline.setText(database + " is added");
            detail.setText("<html><div style='width:440px'>Nothing to copy: applications open it where it is ("
                    + s.placement() + ").</div></html>");
            commands.report(database + " added; opened directly");
        } else if (s.lastSync() != null) {
            headline.setText(database + " is added");
            detail.setText(s.pendingWrites() == 0 ? database + " is in sync. Applications can use it now."
                    : database + " is copied; " + Format.count(s.pendingWrites(), "write waits", "writes wait")
                    + " to be pushed.");
            commands.report(database + " added and in sync");
        } else {
            headline.setText(database + " is added, but its first sync failed");
            detail.setText("<html><div style='width:440px'>" + s.error() + (s.hint() == null ? "" : "<br>" + s.hint())
                    + "<br>ShareMirror tries again; Remove… in the dashboard takes it out.</div></html>");
        }
        end(null);
    }

    private void end(String text) {
        over = true;
        bar.setIndeterminate(false);
        bar.setValue(cancelled ? 0 : STEPS);
        bar.setString(cancelled ? "cancelled" : "done");
        if (text != null) {
            detail.setText(text);
        }
        cancel.setVisible(false);
        close.setVisible(true);
        getRootPane().setDefaultButton(close);
        pack();
        setLocationRelativeTo(getOwner());
    }

    @Override
    public void dispose() {
        commands.agent().unsubscribe(listener);
        super.dispose();
    }
}
