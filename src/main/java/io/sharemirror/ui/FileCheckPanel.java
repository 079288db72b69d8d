package io.sharemirror.ui;

import io.sharemirror.status.FileCheck;
import io.sharemirror.status.FileCheck.Finding;
import io.sharemirror.status.FileCheck.Topic;
import java.util.Comparator;
import javax.swing.BoxLayout;
import javax.swing.JLabel;
import javax.swing.JPanel;

/**
 * The Add Database dialog's live checks of a file or a PostgreSQL server: one line per question, marked good, worth
 * knowing, or a problem.
 */
final class FileCheckPanel extends JPanel {

    /** What the panel says before there is anything to check. */
    static final String FIRST_STEP = "Choose the database file on the share, or enter a PostgreSQL server's URL.";

    FileCheckPanel() {
        setLayout(new BoxLayout(this, BoxLayout.Y_AXIS));
        setName("checks");
        say(FIRST_STEP);
    }

    /** A line of its own instead of findings: "Checking…", or what to do first. */
    void say(String text) {
        removeAll();
        JLabel line = new JLabel(text);
        line.setName("checkStatus");
        add(line);
        revalidate();
        repaint();
    }

    void show(FileCheck check) {
        removeAll();
        check.findings().stream().sorted(Comparator.comparing(Finding::topic)).forEach(f -> {
            JLabel line = new JLabel("<html><div style='width:520px'><b>" + title(f.topic()) + ":</b> "
                    + escape(f.text()) + "</div></html>", StateIcons.verdict(f.verdict(), 14), JLabel.LEADING);
            line.setName("check-" + f.topic());
            line.setIconTextGap(6);
            add(line);
        });
        revalidate();
        repaint();
    }

    private static String title(Topic topic) {
        return switch (topic) {
            case URL -> "URL";
            case SERVER -> "Server";
            case HUB -> "Database";
            case REACHABLE -> "File";
            case SQLITE -> "Format";
            case JOURNAL -> "Journal";
            case ACCESS -> "Access";
            case PLACEMENT -> "Where";
            case SIZE -> "Size";
            case TABLES -> "Tables";
            case NOT_MIRRORED -> "Left out";
        };
    }

    /** HTML text that wraps after path separators too: a long path must not widen the dialog past the screen. */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace("/", "/\u200B").replace("\\", "\\\u200B");
    }
}
