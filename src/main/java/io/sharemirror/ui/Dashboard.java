package io.sharemirror.ui;

import io.sharemirror.status.DatabaseStatus;
import io.sharemirror.status.StatusModel;
import io.sharemirror.status.StatusSnapshot;
import java.awt.BorderLayout;
import java.awt.CardLayout;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.Frame;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JTabbedPane;
import javax.swing.JToggleButton;
import javax.swing.SwingUtilities;
import javax.swing.Timer;
import javax.swing.WindowConstants;

/**
 * The dashboard window: databases, history, conflicts, the rows that wait for a person and debug information, kept
 * live while it is open.
 * Every number comes from the status model or from the agent on the background thread, so opening it
 * never waits for the share.
 */
final class Dashboard extends JFrame {

    private static final int SIZES_EVERY_TICKS = 10;

    private static final String WELCOME = "welcome";
    private static final String TABS = "tabs";
    private static final int CONFLICTS_TAB = 2;
    private static final int WAITING_TAB = 3;

    private final Commands commands;
    private final JLabel overall = new JLabel();
    private final JLabel result = new JLabel(" ");
    private final JToggleButton pause = new JToggleButton("Pause Sync");
    private final JButton syncAll = new JButton("Sync All Now");
    private final JLabel noTrayNote =
            new JLabel("No system tray on this desktop: ShareMirror keeps syncing while this window is open.");
    private final JTabbedPane tabs = new JTabbedPane();
    private final CardLayout cards = new CardLayout();
    private final WelcomePanel welcome;
    private final JPanel content = new JPanel(cards);
    private final DatabasesPanel databases;
    private final HistoryPanel history;
    private final ConflictsPanel conflicts;
    private final WaitingPanel waiting;
    private final DebugPanel debug;
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    private final StatusModel.Listener listener;
    private final Timer ticker;
    private Map<String, String> cycleMarks = Map.of();
    private boolean standalone;
    private int ticks;
    /** The pause and the conflicts to review, read on the background thread each second. */
    private TrayLook look;

    /**
     * @param desktop what the Debug tab says of the tray and notifications (asked off the event thread)
     */
    Dashboard(Commands commands, TrayMenu menu, Supplier<Map<String, String>> desktop, Runnable quit) {
        super("ShareMirror");
        this.commands = commands;
        setName("dashboard");
        setIconImages(StateIcons.windowIcons());
        welcome = new WelcomePanel(commands);
        databases = new DatabasesPanel(commands);
        history = new HistoryPanel(commands);
        conflicts = new ConflictsPanel(commands);
        waiting = new WaitingPanel(commands);
        debug = new DebugPanel(commands, desktop);
        tabs.setName("tabs");
        tabs.addTab("Databases", databases);
        tabs.addTab("History", history);
        tabs.addTab("Conflicts", conflicts);
        tabs.addTab("Waiting", waiting);
        tabs.addTab("Debug", debug);
        tabs.addChangeListener(e -> reloadVisibleTab());

        overall.setName("overall");
        result.setName("result");
        pause.setName("pauseButton");
        pause.addActionListener(e -> {
            if (pause.isSelected()) {
                commands.pause(null);
            } else {
                commands.resume();
            }
        });
        syncAll.setName("syncAllButton");
        syncAll.addActionListener(e -> commands.syncAll());
        JButton more = new JButton("Menu ▾");
        more.setName("menuButton");
        more.addActionListener(e -> commands.background().run(menu::read,
                s -> menu.build(s).show(more, 0, more.getHeight()), e2 -> report(Failures.describe(e2))));

        JPanel header = new JPanel(new BorderLayout());
        header.setBorder(BorderFactory.createEmptyBorder(8, 10, 4, 10));
        header.add(overall, BorderLayout.CENTER);
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.RIGHT, 6, 0));
        buttons.add(syncAll);
        buttons.add(pause);
        buttons.add(more);
        header.add(buttons, BorderLayout.EAST);
        noTrayNote.setName("noTrayNote");
        noTrayNote.setVisible(false);
        header.add(noTrayNote, BorderLayout.SOUTH);
        result.setBorder(BorderFactory.createEmptyBorder(4, 10, 6, 10));
        content.add(welcome, WELCOME);
        content.add(tabs, TABS);
        add(header, BorderLayout.NORTH);
        add(content, BorderLayout.CENTER);
        add(result, BorderLayout.SOUTH);
        setMinimumSize(new Dimension(760, 480));
        setSize(980, 620);
        setLocationByPlatform(true);

        standalone(false);
        addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosing(WindowEvent e) {
                if (standalone) {
                    quit.run();
                }
            }
        });
        listener = s -> {
            if (refreshQueued.compareAndSet(false, true)) {
                SwingUtilities.invokeLater(this::refresh);
            }
        };
        commands.agent().subscribe(listener);
        look = new TrayLook(commands.agent().statusSnapshot(), Optional.empty(), 0);
        ticker = new Timer(1000, e -> tick());
        ticker.start();
    }

    /** True when there is no tray: the window is the app, closing it quits, and a note says so. */
    void standalone(boolean on) {
        standalone = on;
        noTrayNote.setVisible(on);
        setDefaultCloseOperation(on ? WindowConstants.DO_NOTHING_ON_CLOSE : WindowConstants.HIDE_ON_CLOSE);
    }

    /** Shows the window, or brings it to the front when it is already open. */
    void bringForward() {
        boolean wasHidden = !isVisible();
        setVisible(true);
        if ((getExtendedState() & Frame.ICONIFIED) != 0) {
            setExtendedState(getExtendedState() & ~Frame.ICONIFIED);
        }
        toFront();
        requestFocus();
        if (wasHidden) {
            cycleMarks = Map.of(); // whatever happened while hidden: read the tab and sizes once
            refresh();
            lookAgain();
        }
    }

    void report(String line) {
        result.setText(line);
    }

    void showConflicts() {
        tabs.setSelectedIndex(CONFLICTS_TAB);
    }

    void showWaiting() {
        tabs.setSelectedIndex(WAITING_TAB);
    }

    /** Reads the pause and the conflicts to review again, off the event thread, and shows them. */
    void lookAgain() {
        commands.background().run(() -> TrayMenu.look(commands.agent()), now -> {
            boolean reviewedElsewhere = now.unreviewed() != look.unreviewed();
            look = now;
            showLook();
            if (reviewedElsewhere && tabs.getSelectedComponent() == conflicts) {
                conflicts.reload();
            }
        }, e -> { });
    }

    private void showLook() {
        pause.setSelected(look.pause().isPresent());
        databases.paused(look.pause().isPresent());
        pause.setText(look.pause().map(p -> "Paused " + TrayLook.until(p.until())).orElse("Pause Sync"));
        tabs.setTitleAt(CONFLICTS_TAB, look.attention() ? "Conflicts (" + look.unreviewed() + ")" : "Conflicts");
        refresh();
    }

    private void refresh() {
        refreshQueued.set(false);
        if (!isShowing()) {
            return; // a hidden dashboard is brought up to date by bringForward
        }
        StatusSnapshot s = commands.agent().statusSnapshot();
        TrayLook now = new TrayLook(s, look.pause(), look.unreviewed());
        cards.show(content, now.setUp() ? TABS : WELCOME);
        getRootPane().setDefaultButton(now.setUp() ? null : welcome.button());
        syncAll.setEnabled(now.setUp());
        pause.setEnabled(now.setUp());
        overall.setIcon(now.setUp() ? StateIcons.dot(s.overall(), 20) : null);
        overall.setText(!now.setUp() ? "Not set up yet: no database is mirrored" : now.headline() + " — "
                + Format.count(s.databases().size(), "database", "databases") + ", "
                + Format.count(s.pendingWrites(), "pending write", "pending writes") + ", last sync "
                + Format.time(s.lastSync().orElse(null))
                + (now.attention() ? ", " + Format.count(now.unreviewed(), "conflict", "conflicts") + " to review" : "")
                + now.waiting().map(w -> ", " + w).orElse(""));
        tabs.setTitleAt(WAITING_TAB, s.waiting() > 0 ? "Waiting (" + s.waiting() + ")" : "Waiting");
        databases.show(s);
        List<String> names = databases.names();
        history.databases(names);
        conflicts.databases(names);
        waiting.databases(names);
        Map<String, String> marks = new HashMap<>();
        for (DatabaseStatus d : s.databases()) {
            marks.put(d.name(), d.lastSync() + "/" + d.conflicts() + "/" + d.state() + "/" + d.waiting());
        }
        if (!marks.equals(cycleMarks)) {
            cycleMarks = marks;
            reloadVisibleTab();
            loadSizes();
        }
    }

    private void tick() {
        if (!isShowing()) {
            return;
        }
        databases.tick();
        if (tabs.getSelectedComponent() == debug && ticks % 2 == 0) {
            debug.reload();
        }
        if (++ticks % SIZES_EVERY_TICKS == 0) {
            loadSizes();
        }
        lookAgain();
    }

    private void reloadVisibleTab() {
        var tab = tabs.getSelectedComponent();
        if (tab == history) {
            history.reload();
        } else if (tab == conflicts) {
            conflicts.reload();
        } else if (tab == waiting) {
            waiting.reload();
        } else if (tab == debug) {
            debug.reload();
        }
    }

    private void loadSizes() {
        List<String> names = databases.names();
        commands.background().run(() -> {
            Map<String, AgentControl.FileSizes> sizes = new HashMap<>();
            names.forEach(n -> sizes.put(n, commands.agent().fileSizes(n)));
            return sizes;
        }, databases::sizes, e -> report("File sizes could not be read: " + Failures.describe(e)));
    }

    @Override
    public void dispose() {
        ticker.stop();
        commands.agent().unsubscribe(listener);
        super.dispose();
    }
}
