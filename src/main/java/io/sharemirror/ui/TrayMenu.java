package io.sharemirror.ui;

import io.sharemirror.config.SyncInterval;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
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

    /** When "Until Tomorrow" ends: tomorrow morning at this hour. */
    static final LocalTime MORNING = LocalTime.of(8, 0);

    /** What the menu shows, read off the event thread before it opens. */
    record Settings(TrayLook look, List<String> mirrored, Optional<Duration> interval, boolean notifications,
                    boolean startAtLogin) {
    }

    private final Commands commands;
    private final Runnable openDashboard;
    private final Runnable openConflicts;
    private final Runnable quit;

    TrayMenu(Commands commands, Runnable openDashboard, Runnable openConflicts, Runnable quit) {
        this.commands = commands;
        this.openDashboard = openDashboard;
        this.openConflicts = openConflicts;
        this.quit = quit;
    }

    Settings read() {
        AgentControl a = commands.agent();
        return new Settings(look(a), a.mirroredNames(), a.commonInterval(), a.notificationsEnabled(),
                a.startsAtLogin());
    }

    /** The tray's look now; reads state.db, so off the event thread. */
    static TrayLook look(AgentControl a) {
        return new TrayLook(a.status().snapshot(), a.paused(), a.unreviewedConflicts());
    }

    JPopupMenu build(Settings s) {
        TrayLook look = s.look();
        JPopupMenu menu = new JPopupMenu();
        menu.setName("trayMenu");
        JMenuItem header = new JMenuItem("ShareMirror: " + look.headline(), look.setUp()
                ? StateIcons.dot(look.state(), 16) : null);
        header.setEnabled(false);
        menu.add(header);
        menu.addSeparator();

        menu.add(item("Add Database…", "addDatabase", e -> commands.addDatabase(null)));
        menu.add(item("Force Sync", "syncAll", e -> commands.syncAll()));
        menu.add(perDatabase("Force Sync Database", "sync", s.mirrored(), commands::sync));
        if (look.pause().isPresent()) {
            menu.add(item("Resume Sync (paused " + TrayLook.until(look.pause().get().until()) + ")", "resume",
                    e -> commands.resume()));
        } else {
            menu.add(pauses());
        }
        menu.add(intervals(s.interval()));
        menu.add(perDatabase("Clear Cache", "clearCache", s.mirrored(), name -> commands.clearCache(null, name)));
        menu.addSeparator();

        if (look.attention()) {
            menu.add(item("Review Conflicts (" + look.unreviewed() + ")…", "reviewConflicts",
                    e -> openConflicts.run()));
        }
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

    private JMenu pauses() {
        JMenu menu = new JMenu("Pause Sync");
        menu.setName("pause");
        ZonedDateTime now = ZonedDateTime.now();
        Instant tomorrow = now.toLocalDate().plusDays(1).atTime(MORNING).atZone(now.getZone()).toInstant();
        menu.add(item("For 1 Hour", "pause-hour", e -> commands.pause(Instant.now().plus(Duration.ofHours(1)))));
        menu.add(item("Until Tomorrow, " + MORNING, "pause-tomorrow", e -> commands.pause(tomorrow)));
        menu.add(item("Until Resumed", "pause-resumed", e -> commands.pause(null)));
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
