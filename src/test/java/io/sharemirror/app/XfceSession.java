package io.sharemirror.app;

import io.sharemirror.Requirements;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A desktop session for tray tests: a private D-Bus session bus ({@code dbus-run-session}) on an X display, and on
 * demand Xfce's real panel ({@code xfce4-panel}), whose systray plugin owns org.kde.StatusNotifierWatcher and hosts
 * StatusNotifierItems. The bus also starts Xfce's notification server (xfce4-notifyd) when a notification is sent.
 * Everything stops on {@link #close()}, and a moment after this JVM exits in any case.
 */
final class XfceSession implements AutoCloseable {

    static final String WATCHER = "org.kde.StatusNotifierWatcher";

    private final String display;
    private final Path dir;
    private final Process bus;
    private final String address;
    private Process panel;

    private XfceSession(String display, Path dir, Process bus, String address) {
        this.display = display;
        this.dir = dir;
        this.bus = bus;
        this.address = address;
    }

    /** Starts Xvfb on {@code display} if needed and a session bus for it ({@link Requirements}: the programs). */
    static XfceSession start(String display, Path dir) throws Exception {
        Requirements.requireProgram("dbus-run-session", "dbus-daemon");
        Requirements.requireProgram("dbus-send", "dbus-bin");
        Requirements.requireProgram("xfce4-panel", "xfce4-panel");
        XDisplay.start(display, false);
        Path config = dir.resolve("config/xfce4/xfconf/xfce-perchannel-xml");
        Files.createDirectories(config);
        try (InputStream panelXml = XfceSession.class.getResourceAsStream("/xfce/xfce4-panel.xml")) {
            Files.copy(panelXml, config.resolve("xfce4-panel.xml"));
        }
        Path addressFile = dir.resolve("bus-address");
        // The bus lives as long as this shell: until close(), or until this JVM is gone.
        ProcessBuilder builder = new ProcessBuilder("dbus-run-session", "--", "sh", "-c",
                "echo \"$DBUS_SESSION_BUS_ADDRESS\" > " + addressFile + "; while kill -0 " + ProcessHandle.current().pid()
                        + " 2>/dev/null; do sleep 1; done").redirectErrorStream(true)
                .redirectOutput(dir.resolve("bus.log").toFile());
        builder.environment().putAll(environment(display, dir));
        Process bus = builder.start();
        XDisplay.waitFor(() -> Files.exists(addressFile) && !Files.readString(addressFile).isBlank(), "the session bus");
        return new XfceSession(display, dir, bus, Files.readString(addressFile).strip());
    }

    /** What every program of the session sees; services the bus starts inherit it. */
    private static Map<String, String> environment(String display, Path dir) {
        return Map.of("DISPLAY", display, "XDG_CONFIG_HOME", dir.resolve("config").toString(),
                "XDG_CACHE_HOME", dir.resolve("cache").toString(), "XDG_DATA_HOME", dir.resolve("data").toString());
    }

    String address() {
        return address;
    }

    /** What the app under test needs to find this session. */
    Map<String, String> appEnvironment() {
        return Map.of("DISPLAY", display, "DBUS_SESSION_BUS_ADDRESS", address);
    }

    /** Starts Xfce's panel and waits until its systray plugin owns the watcher name. */
    void startPanel() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("xfce4-panel", "--disable-wm-check").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("panel.log").toFile()));
        builder.environment().putAll(environment(display, dir));
        builder.environment().put("DBUS_SESSION_BUS_ADDRESS", address);
        panel = builder.start();
        XDisplay.waitFor(() -> owned(WATCHER), "xfce4-panel's StatusNotifierWatcher");
    }

    /** Stops the panel as a crash would: its watcher leaves the bus, the icons go with it. */
    void stopPanel() throws Exception {
        if (panel != null) {
            stopTree(panel.toHandle());
            panel = null;
            XDisplay.waitFor(() -> !owned(WATCHER), "the watcher leaving the bus");
        }
    }

    /** What the panel has written so far (it writes GTK's and libdbusmenu's warnings), or "" before it started. */
    String panelLog() throws IOException {
        Path log = dir.resolve("panel.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** True when a connection on this bus owns {@code name}. */
    boolean owned(String name) throws Exception {
        return busCall("org.freedesktop.DBus.NameHasOwner", "string:" + name).contains("boolean true");
    }

    private String busCall(String method, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("dbus-send", "--bus=" + address, "--print-reply",
                "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus", method));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    /** Starts {@code dbus-monitor} on this bus with a match rule; it writes to {@code log} until stopped. */
    Process monitor(String rule, Path log) throws IOException {
        return new ProcessBuilder("dbus-monitor", "--address", address, rule).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }

    /**
     * Stops the process and all it started, and waits for every one: xfconfd, started by the bus, writes its settings
     * under the session's folder as it stops, and a test's temporary folder cannot be deleted while it does.
     */
    private static void stopTree(ProcessHandle root) {
        List<ProcessHandle> all = Stream.concat(root.descendants(), Stream.of(root)).toList();
        all.forEach(ProcessHandle::destroy);
        all.forEach(p -> p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> p).join());
    }

    @Override
    public void close() throws Exception {
        stopPanel();
        stopTree(bus.toHandle());
    }
}
