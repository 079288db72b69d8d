package io.sharemirror.ui;

import io.sharemirror.ui.freedesktop.DesktopNotifications;
import io.sharemirror.ui.freedesktop.SessionBus;
import java.awt.AWTError;
import java.awt.GraphicsEnvironment;
import java.awt.HeadlessException;
import java.lang.reflect.InvocationTargetException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.swing.SwingUtilities;

/**
 * The desktop face of the agent: a tray icon with its menu and a dashboard window, or the dashboard alone
 * where the desktop has no tray ({@link DesktopTray} picks the protocol), and notifications. Swing parts are built
 * and changed on the event thread only; the session bus is reached from other threads.
 */
public final class TrayApp {

    private final AgentControl agent;
    private final Runnable exit;
    private final Background background = new Background();
    private Theme theme;
    private Dashboard dashboard;
    private DesktopTray tray;
    private Notifier notifier;
    private boolean quitting;

    private TrayApp(AgentControl agent, Runnable exit) {
        this.agent = agent;
        this.exit = exit;
    }

    /**
     * Settings AWT and FlatLaf read once at start-up; call on the main thread before anything touches AWT.
     */
    public static void prepareMainThread() {
        System.setProperty("apple.awt.application.name", "ShareMirror");
        System.setProperty("apple.awt.application.appearance", "system");
        System.setProperty("awt.useSystemAAFontSettings", "on");
        // A tray utility must not appear in the macOS Dock or app switcher.
        System.setProperty("apple.awt.UIElement", "true");
    }

    /** False on a server or a session without a display: the agent then runs headless. */
    public static boolean displayAvailable() {
        return !GraphicsEnvironment.isHeadless();
    }

    /**
     * Builds the tray icon (or the stand-in window) and the dashboard on the event thread.
     *
     * @param prefersDark asks the OS for its light/dark preference; called off the event thread
     * @param exit        runs once everything has stopped after Quit
     * @throws Unavailable when the display cannot be used after all (gone, refused, no GUI libraries)
     */
    public static TrayApp start(AgentControl agent, BooleanSupplier prefersDark, Runnable exit)
            throws InterruptedException {
        TrayApp app = new TrayApp(agent, exit);
        boolean dark = prefersDark.getAsBoolean();
        SessionBus.Connected bus = SessionBus.connect(); // off the event thread: it waits on another process
        DesktopNotifications.Found server = bus.bus() == null ? new DesktopNotifications.Found(null, bus.why())
                : DesktopNotifications.find(bus.bus(), app::showDashboard);
        try {
            SwingUtilities.invokeAndWait(() -> app.build(dark, bus, server));
            app.tray.start();
            if (agent.statusSnapshot().databases().isEmpty()) {
                app.showDashboard(); // the first start: the welcome screen, whichever tray the icon went to
            }
        } catch (InvocationTargetException e) {
            app.closeEarly(bus);
            throw new Unavailable(e.getCause());
        } catch (AWTError | HeadlessException | UnsatisfiedLinkError | IllegalStateException e) {
            app.closeEarly(bus);
            throw new Unavailable(e);
        }
        app.theme.follow(prefersDark);
        return app;
    }

    private void build(boolean dark, SessionBus.Connected bus, DesktopNotifications.Found server) {
        theme = new Theme(dark);
        Commands commands = new Commands(agent, background, this::report, this::lookChanged);
        TrayMenu menu = new TrayMenu(commands, this::showDashboard, this::showConflicts, this::showWaiting, this::quit);
        dashboard = new Dashboard(commands, menu, () -> desktopFacts(server), this::quit);
        tray = new DesktopTray(agent, background, menu, dashboard, this::showDashboard, bus.bus(), bus.why());
        notifier = new Notifier(agent, server.notifications(), () -> tray.xembed());
    }

    /** The Debug tab's lines on the tray protocol and the notification route, each with why. */
    private Map<String, String> desktopFacts(DesktopNotifications.Found server) {
        DesktopTray.Choice choice = tray.choice();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Tray protocol", choice.protocol() + ": " + choice.why());
        facts.put("Notifications", server.notifications() != null ? server.why()
                : "the XEmbed tray icon's balloons (" + server.why() + ")");
        return facts;
    }

    private void closeEarly(SessionBus.Connected bus) {
        background.close();
        if (bus.bus() != null) {
            bus.bus().close();
        }
    }

    /** The desktop could not be used; the agent goes on headless. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(Throwable cause) {
            super("the tray and dashboard could not start: " + cause, cause);
        }
    }

    /** True when the icon is in the tray; false when the dashboard window stands in for it. */
    public boolean inTray() {
        return tray.choice().protocol() != DesktopTray.Protocol.WINDOW;
    }

    /** Opens the dashboard or brings it forward; safe from any thread (a second launch calls it). */
    public void showDashboard() {
        SwingUtilities.invokeLater(() -> dashboard.bringForward());
    }

    /** The dashboard on its Conflicts tab (Review Conflicts in the menu). */
    public void showConflicts() {
        SwingUtilities.invokeLater(() -> {
            dashboard.bringForward();
            dashboard.showConflicts();
        });
    }

    /** The dashboard on its Waiting tab (Rows Waiting in the menu). */
    public void showWaiting() {
        SwingUtilities.invokeLater(() -> {
            dashboard.bringForward();
            dashboard.showWaiting();
        });
    }

    /** A command's result: said in the dashboard; the exported menu is rebuilt, as its marks may have changed. */
    private void report(String line) {
        dashboard.report(line);
        tray.commandDone();
    }

    /** A pause or a review changed what the tray and the dashboard show, without a status change. */
    private void lookChanged() {
        tray.commandDone();
        dashboard.lookAgain();
    }

    /** Quit from anywhere: what the menu's Quit does. */
    public void quit() {
        SwingUtilities.invokeLater(this::quitOnEventThread);
    }

    /** The icon stays, saying so, until running cycles have finished and the stores are closed. */
    private void quitOnEventThread() {
        if (quitting) {
            return;
        }
        quitting = true;
        report("Stopping: letting a running sync finish…");
        tray.stopping("stopping, letting a running sync finish…");
        Thread stopper = new Thread(() -> {
            agent.shutdown();
            SwingUtilities.invokeLater(() -> {
                notifier.close();
                tray.close();
                dashboard.dispose();
                theme.close();
                background.close();
                exit.run();
            });
        }, "sharemirror-quit");
        stopper.start();
    }
}
