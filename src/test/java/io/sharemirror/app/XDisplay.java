package io.sharemirror.app;

import static org.awaitility.Awaitility.await;

import io.sharemirror.Requirements;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * A real X display for GUI tests: Xvfb on the display this JVM was given (surefire sets DISPLAY), started
 * here when nothing answers there, and optionally a real tray host (trayer) on it. Both stop a moment
 * after the JVM has exited. Nothing is faked: the windows, the tray protocol and the screenshots are the real ones.
 */
final class XDisplay {

    private XDisplay() {
    }

    /** This JVM's display, with an X server answering; with a tray host when {@code tray}. */
    static synchronized String ensure(boolean tray) throws Exception {
        String display = System.getenv("DISPLAY");
        if (display == null || display.isBlank()) {
            throw new IllegalStateException("DISPLAY is not set; the surefire configuration sets it for GUI tests");
        }
        start(display, tray);
        return display;
    }

    /**
     * Another display of this test run's own, {@code offset} above the one surefire gave it (:84 with 4 gives :88), for
     * a test that needs a desktop different from the shared one (no tray, another panel). The tests use +4 and +5:
     * runs on a shared machine take neighbouring display numbers (:85 was seen taken by another run beside :84).
     */
    static String sibling(int offset) {
        String display = System.getenv("DISPLAY");
        return ":" + (Integer.parseInt(display.substring(1).replaceFirst("\\..*", "")) + offset);
    }

    /**
     * Starts Xvfb (and trayer) on {@code display} unless already there; waits until they answer. Without them the
     * calling test fails in CI and skips elsewhere ({@link Requirements}).
     */
    static synchronized void start(String display, boolean tray) throws Exception {
        Requirements.requireProgram("xdpyinfo", "x11-utils");
        if (!answers(display)) {
            Requirements.requireProgram("Xvfb", "xvfb");
            outliveThisJvm(Map.of(), "Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp");
            waitFor(() -> answers(display), "Xvfb on " + display);
        }
        if (tray && !hasTrayHost(display)) {
            Requirements.requireProgram("trayer", "trayer");
            outliveThisJvm(Map.of("DISPLAY", display), "trayer", "--edge", "top", "--align", "right", "--widthtype",
                    "request", "--height", "28", "--transparent", "false", "--tint", "0x303030", "--SetDockType", "true");
            waitFor(() -> hasTrayHost(display), "trayer on " + display);
        }
    }

    /**
     * Starts {@code command} under a small shell that stops it once this JVM is gone. Stopping the X server from
     * a shutdown hook instead would pull the display from under AWT, whose X error handler then exits the JVM
     * with status 1, which surefire reports as a crashed fork.
     */
    private static void outliveThisJvm(Map<String, String> environment, String... command) throws IOException {
        List<String> shell = new ArrayList<>(List.of("sh", "-c", "\"$@\" & child=$!; while kill -0 "
                + ProcessHandle.current().pid() + " 2>/dev/null; do sleep 1; done; kill $child", "sh"));
        shell.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(shell).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(environment);
        builder.start();
    }

    static boolean hasTrayHost(String display) throws Exception {
        return windowTree(display).contains("\"trayer\"");
    }

    /** {@code xwininfo -root -tree}: the real window hierarchy, where an embedded tray icon shows up. */
    static String windowTree(String display) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return run(display, "xwininfo", "-root", "-tree");
            } catch (IOException e) {
                if (attempt == 3) { // a window closing mid-walk fails the walk ("Bad Drawable"); walk again
                    throw e;
                }
            }
        }
    }

    /** True when the window is mapped and all its ancestors are: on screen, not merely kept by its program. */
    static boolean viewable(String display, String windowId) throws Exception {
        try {
            return run(display, "xwininfo", "-id", windowId).contains("Map State: IsViewable");
        } catch (IOException e) {
            return false; // gone since the tree was read
        }
    }

    /**
     * The screen rectangle of the one Java tray icon embedded in the tray host, from {@code xwininfo}: a line
     * like {@code 0x800007 "JavaEmbeddedFrame": (...)  24x26+0+0  +1255+1} (size, then absolute position).
     */
    static java.awt.Rectangle trayIcon(String display) throws Exception {
        List<java.awt.Rectangle> found = new ArrayList<>();
        var pattern = java.util.regex.Pattern.compile("\"JavaEmbeddedFrame\".*\\s(\\d+)x(\\d+)[+-]\\d+[+-]\\d+\\s+\\+(-?\\d+)\\+(-?\\d+)");
        for (String line : windowTree(display).split("\n")) {
            var m = pattern.matcher(line);
            if (m.find()) {
                found.add(new java.awt.Rectangle(Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
                        Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
            }
        }
        if (found.size() != 1) {
            throw new IllegalStateException("expected one Java icon in the tray, found " + found.size());
        }
        return found.get(0);
    }

    /** A real pointer click at a screen point ({@code xdotool}): what a person's mouse does. */
    static void click(String display, int x, int y, int button) throws Exception {
        // A pause between arriving and pressing, as a hand makes: GTK buttons take a press only after the pointer entered.
        run(display, "xdotool", "mousemove", Integer.toString(x), Integer.toString(y), "sleep", "0.2", "click",
                Integer.toString(button));
    }

    /** Moves the pointer without clicking. */
    static void pointerTo(String display, int x, int y) throws Exception {
        run(display, "xdotool", "mousemove", Integer.toString(x), Integer.toString(y));
    }

    /** A key press ({@code xdotool key}), sent to whichever window has the keyboard (an open menu grabs it). */
    static void key(String display, String key) throws Exception {
        run(display, "xdotool", "key", key);
    }

    /** Types text into whichever window has the keyboard. */
    static void type(String display, String text) throws Exception {
        run(display, "xdotool", "type", "--delay", "50", text);
    }

    static void screenshot(String display, Path png) throws Exception {
        run(display, "import", "-window", "root", png.toString());
    }

    private static boolean answers(String display) throws Exception {
        Process p = new ProcessBuilder("xdpyinfo", "-display", display).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    private static String run(String display, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DISPLAY", display);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    /**
     * Waits until {@code check} holds: what the X server, the tray host or the app shows may take up to 15 s here.
     * Polled on this thread, as the checks were written to run.
     */
    static void waitFor(Callable<Boolean> check, String what) {
        await(what).atMost(Duration.ofSeconds(15)).pollInSameThread().pollInterval(Duration.ofMillis(100)).until(check);
    }
}
