package io.sharemirror.platform;

import java.awt.Desktop;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Opens a folder in the desktop's file manager. */
public final class Folders {

    private Folders() {
    }

    /** True when a file manager was asked to show {@code folder}; may block briefly, so not on the event thread. */
    public static boolean open(Path folder) {
        if (Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.OPEN)) {
            try {
                Desktop.getDesktop().open(folder.toFile());
                return true;
            } catch (IOException | UnsupportedOperationException e) {
                // AWT's GNOME/KDE detection misses many desktops; the platform's own opener often works.
            }
        }
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        List<String> command = os.contains("win") ? List.of("explorer", folder.toString())
                : os.contains("mac") ? List.of("open", folder.toString()) : List.of("xdg-open", folder.toString());
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            // xdg-open returns at once when it found a handler; an exit code says it did not.
            return !p.waitFor(3, TimeUnit.SECONDS) || p.exitValue() == 0 || os.contains("win");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
