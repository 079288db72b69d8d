package io.sharemirror.ui;

import io.sharemirror.config.SyncInterval;
import io.sharemirror.status.StatusSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.swing.ButtonGroup;
import javax.swing.JCheckBoxMenuItem;
import javax.swing.JMenu;
import javax.swing.JMenuItem;
import javax.swing.JPopupMenu;
import javax.swing.JRadioButtonMenuItem;

/**
 * The tray's menu. It is rebuilt from the agent's current state each time it opens, so per-database
 * entries, the paused flag and the interval shown are never stale.
 */
final class TrayMenu {

    static final List<Duration> PRESETS = List.of(Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(5));

    /** What the menu shows, read off the event thread before it opens. */
    record Settings(StatusSnapshot status, List<String> mirrored, boolean paused, Optional<Duration> interval,
                    boolean notifications, boolean startAtLogin) {
    }

    private final Commands commands;
    private final Runnable openDashboard;
    private final Runnable quit;

    TrayMenu(Commands commands, Runnable openDashboard, Runnable quit) {
        this.commands = commands;
        this.openDashboard = openDashboard;
        this.quit = quit;
    }

    Settings read() {
        AgentControl a = commands.agent();
        return new Settings(a.status().snapshot(), a.mirroredNames(), a.paused(), a.commonInterval(),
                a.notificationsEnabled(), a.startsAtLogin());
    }

    JPopupMenu build(Settings s) {
        JPopupMenu menu = new JPopupMenu();
        menu.setName("trayMenu");
        JMenuItem header = new JMenuItem("ShareMirror: " + Format.state(s.status().overall())
                + (s.paused() ? " (paused)" : ""), StateIcons.dot(s.status().overall(), 16));
        header.setEnabled(false);
        menu.add(header);
        menu.addSeparator();

        menu.add(item("Force Sync", "syncAll", e -> commands.syncAll()));
        menu.add(perDatabase("Force Sync Database", "sync", s.mirrored(), commands::sync));
        JCheckBoxMenuItem pause = new JCheckBoxMenuItem("Pause Sync", s.paused());
        pause.setName("pause");
        pause.addActionListener(e -> commands.setPaused(pause.isSelected()));
        menu.add(pause);
        menu.add(intervals(s.interval()));
        menu.add(perDatabase("Clear Cache", "clearCache", s.mirrored(), name -> commands.clearCache(null, name)));
        menu.addSeparator();

        menu.add(item("Open Dashboard", "openDashboard", e -> openDashboard.run()));
        menu.add(item("Open Logs Folder", "openLogs", e -> commands.openLogs(null)));
        JCheckBoxMenuItem notify = new JCheckBoxMenuItem("Notifications", s.notifications());
        notify.setName("notifications");
        notify.addActionListener(e -> commands.setNotifications(notify.isSelected()));
        menu.add(notify);
        JCheckBoxMenuItem login = new JCheckBoxMenuItem("Start at Login", s.startAtLogin());
        login.setName("startAtLogin");
        login.addActionListener(e -> commands.setStartAtLogin(login.isSelected()));
        menu.add(login);
        menu.addSeparator();
        menu.add(item("Quit", "quit", e -> quit.run()));
        return menu;
    }

    private JMenu intervals(Optional<Duration> current) {
        JMenu menu = new JMenu("Sync Interval");
        menu.setName("interval");
        ButtonGroup group = new ButtonGroup();
        for (Duration d : PRESETS) {
            JRadioButtonMenuItem item = new JRadioButtonMenuItem(SyncInterval.format(d), current.equals(Optional.of(d)));
            item.setName("interval-" + d.toSeconds());
            item.addActionListener(e -> commands.setInterval(d));
            group.add(item);
            menu.add(item);
        }
        boolean custom = current.isPresent() && !PRESETS.contains(current.get());
        JRadioButtonMenuItem other = new JRadioButtonMenuItem(custom
                ? "Custom (" + SyncInterval.format(current.get()) + ")…" : "Custom…", custom);
        other.setName("interval-custom");
        other.addActionListener(e -> commands.customInterval(null));
        group.add(other);
        menu.add(other);
        return menu;
    }

    private static JMenu perDatabase(String title, String name, List<String> databases, Consumer<String> action) {
        JMenu menu = new JMenu(title);
        menu.setName(name);
        menu.setEnabled(!databases.isEmpty());
        for (String db : databases) {
            menu.add(item(db, name + "-" + db, e -> action.accept(db)));
        }
        return menu;
    }

    private static JMenuItem item(String text, String name, java.awt.event.ActionListener action) {
        JMenuItem item = new JMenuItem(text);
        item.setName(name);
        item.addActionListener(action);
        return item;
    }
}
