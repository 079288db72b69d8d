package io.sharemirror.ui;

import java.awt.AWTError;
import java.awt.AWTException;
import java.awt.GraphicsEnvironment;
import java.awt.HeadlessException;
import java.awt.SystemTray;
import java.lang.reflect.InvocationTargetException;
import java.util.function.BooleanSupplier;
import javax.swing.SwingUtilities;
import org.tinylog.Logger;

/**
 * The desktop face of the agent: a tray icon with its menu and a dashboard window, or the dashboard alone
 * where the desktop has no tray. Built and changed on the event thread only.
 */
public final class TrayApp {

    private final AgentControl agent;
    private final Runnable exit;
    private final Background background = new Background();
    private Theme theme;
    private Dashboard dashboard;
    private TrayPresence tray;
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
        try {
            SwingUtilities.invokeAndWait(() -> app.build(dark));
        } catch (InvocationTargetException e) {
            app.background.close();
            throw new Unavailable(e.getCause());
        } catch (AWTError | HeadlessException | UnsatisfiedLinkError e) {
            app.background.close();
            throw new Unavailable(e);
        }
        app.theme.follow(prefersDark);
        return app;
    }

    private void build(boolean dark) {
        theme = new Theme(dark);
        Commands commands = new Commands(agent, background, this::report, this::lookChanged);
        TrayMenu menu = new TrayMenu(commands, this::showDashboard, this::showConflicts, this::quit);
        boolean hasTray = SystemTray.isSupported();
        dashboard = new Dashboard(commands, menu, !hasTray, this::quit);
        if (hasTray) {
            try {
                tray = new TrayPresence(agent, background, menu, this::showDashboard);
                if (agent.status().snapshot().databases().isEmpty()) {
                    dashboard.bringForward(); // the first start: the welcome screen, not just a blue icon
                }
                return;
            } catch (AWTException e) {
                Logger.warn("the system tray refused the icon ({}); showing the dashboard window instead", e.getMessage());
                dashboard.dispose();
                dashboard = new Dashboard(commands, menu, true, this::quit);
            }
        } else {
            Logger.warn("this desktop has no system tray (on GNOME, the AppIndicator extension provides one);"
                    + " showing the dashboard window instead");
        }
        dashboard.bringForward();
    }

    /** The desktop could not be used; the agent goes on headless. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(Throwable cause) {
            super("the tray and dashboard could not start: " + cause, cause);
        }
    }

    /** True when the icon is in the tray; false when the dashboard window stands in for it. */
    public boolean inTray() {
        return tray != null;
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

    private void report(String line) {
        dashboard.report(line);
    }

    /** A pause or a review changed what the tray and the dashboard show, without a status change. */
    private void lookChanged() {
        if (tray != null) {
            tray.lookAgain();
        }
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
        if (tray != null) {
            tray.stopping("stopping, letting a running sync finish…");
        }
        Thread stopper = new Thread(() -> {
            agent.shutdown();
            SwingUtilities.invokeLater(() -> {
                if (tray != null) {
                    tray.close();
                }
                dashboard.dispose();
                theme.close();
                background.close();
                exit.run();
            });
        }, "sharemirror-quit");
        stopper.start();
    }
}
