package io.sharemirror.ui;

import io.sharemirror.status.DatabaseStatus;
import java.awt.BorderLayout;
import java.awt.FlowLayout;
import java.awt.Font;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Supplier;
import javax.swing.JButton;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;

/** The Debug tab: what support asks for first, as text that can be copied into a bug report. */
final class DebugPanel extends JPanel {

    private final Commands commands;
    private final Supplier<Map<String, String>> desktop;
    private final JTextArea text = new JTextArea();

    /** @param desktop the tray protocol and notification route in use, each with why */
    DebugPanel(Commands commands, Supplier<Map<String, String>> desktop) {
        super(new BorderLayout());
        this.commands = commands;
        this.desktop = desktop;
        text.setName("debugText");
        text.setEditable(false);
        text.setFont(new Font(Font.MONOSPACED, Font.PLAIN, text.getFont().getSize()));
        JButton logs = new JButton("Open Logs Folder");
        logs.setName("debugOpenLogs");
        logs.addActionListener(e -> commands.openLogs(this));
        JPanel actions = new JPanel(new FlowLayout(FlowLayout.LEFT));
        actions.add(logs);
        add(new JScrollPane(text), BorderLayout.CENTER);
        add(actions, BorderLayout.SOUTH);
    }

    void reload() {
        commands.background().run(this::report, report -> {
            int caret = Math.min(text.getCaretPosition(), report.length());
            text.setText(report);
            text.setCaretPosition(caret);
        }, e -> text.setText("Could not collect the debug information: " + Failures.describe(e)));
    }

    private String report() {
        AgentControl agent = commands.agent();
        StringBuilder out = new StringBuilder();
        line(out, "Config file", agent.configFile().toString());
        line(out, "Cache directory", agent.cacheDirectory().toString());
        line(out, "Log folder", agent.logDirectory().toString());
        line(out, "Start at login", (agent.startsAtLogin() ? "on: " : "off: ") + agent.startAtLoginLocation());
        line(out, "Sync paused", agent.paused().map(p -> "yes, " + TrayLook.until(p.until())).orElse("no"));
        desktop.get().forEach((k, v) -> line(out, k, v));
        out.append("\nVersions\n");
        agent.versions().forEach((k, v) -> line(out, "  " + k, v));
        out.append("\nConnectivity per share\n");
        for (DatabaseStatus s : agent.statusSnapshot().databases()) {
            line(out, "  " + s.name(), Format.state(s.state()) + (s.mirrored() ? "" : " (direct)") + "  " + s.hubPath()
                    + (s.error() == null ? "" : "\n      last error: " + s.error()
                    + (s.hint() == null ? "" : "\n      hint: " + s.hint())));
        }
        out.append("\nThreads\n");
        Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("sharemirror"))
                .sorted(Comparator.comparing(Thread::getName))
                .forEach(t -> line(out, "  " + t.getName(), t.getState().name()));
        return out.toString();
    }

    private static void line(StringBuilder out, String key, String value) {
        out.append(String.format("%-22s %s%n", key, value));
    }
}
