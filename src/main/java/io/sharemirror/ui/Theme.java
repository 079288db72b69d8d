package io.sharemirror.ui;

import com.formdev.flatlaf.FlatDarkLaf;
import com.formdev.flatlaf.FlatLaf;
import com.formdev.flatlaf.FlatLightLaf;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.swing.SwingUtilities;

/** FlatLaf, light or dark as the operating system prefers, switched live when that preference changes. */
final class Theme implements AutoCloseable {

    private static final long RECHECK_SECONDS = 30;

    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread t = new Thread(task, "sharemirror-theme");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean dark;

    /** Installs the look and feel; call on the event thread before the first component is made. */
    Theme(boolean dark) {
        this.dark = dark;
        apply(dark);
    }

    /** Asks the OS again every half minute (off the event thread: it may start a process) and follows it. */
    void follow(BooleanSupplier osPrefersDark) {
        watcher.scheduleWithFixedDelay(() -> {
            boolean now = osPrefersDark.getAsBoolean();
            if (now != dark) {
                dark = now;
                SwingUtilities.invokeLater(() -> {
                    apply(now);
                    FlatLaf.updateUI();
                });
            }
        }, RECHECK_SECONDS, RECHECK_SECONDS, TimeUnit.SECONDS);
    }

    private static void apply(boolean dark) {
        if (dark) {
            FlatDarkLaf.setup();
        } else {
            FlatLightLaf.setup();
        }
    }

    @Override
    public void close() {
        watcher.shutdownNow();
    }
}
