package io.sharemirror.app;

import io.sharemirror.platform.AppDirs;
import io.sharemirror.platform.ConfigLocation;
import io.sharemirror.platform.LaunchCommand;
import io.sharemirror.platform.StartAtLogin;
import io.sharemirror.status.PendingWrite;
import io.sharemirror.status.StatusModel;
import io.sharemirror.sync.ArchivedConflict;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.Renumbering;
import io.sharemirror.sync.Waiting;
import io.sharemirror.sync.WayOut;
import io.sharemirror.ui.AgentControl;
import io.sharemirror.ui.SetupControl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.tinylog.Logger;

/** The running agent as the tray and dashboard see it. */
final class DesktopControl implements AgentControl {

    /** state.db setting, for the whole app rather than one database. */
    private static final String APP = "*";
    private static final String NOTIFICATIONS = "notifications";

    private final Agent agent;
    private final ConfigLocation config;
    private final StartAtLogin startAtLogin;
    /** Asked on every status change, on the engine's threads: kept here rather than read from state.db each time. */
    private volatile boolean notifications;
    private final SetupControl setup;
    /** The pause the user chose; its time only counts while the engine is paused. */
    private final AtomicReference<Pause> pause = new AtomicReference<>(new Pause(null));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sharemirror-pause");
        t.setDaemon(true);
        return t;
    });
    private ScheduledFuture<?> resumeLater;

    DesktopControl(Agent agent, ConfigLocation config, StartAtLogin startAtLogin) {
        this.agent = agent;
        this.config = config;
        this.startAtLogin = startAtLogin;
        this.notifications = !agent.state().setting(APP, NOTIFICATIONS).orElse("on").equals("off");
        this.setup = new DesktopSetup(agent, config);
    }

    @Override
    public StatusModel status() {
        return agent.status();
    }

    @Override
    public List<String> mirroredNames() {
        return agent.engine().names();
    }

    @Override
    public CompletableFuture<CycleRecord> syncNow(String name) {
        return agent.engine().syncNow(name);
    }

    @Override
    public Optional<Pause> paused() {
        return agent.engine().paused() ? Optional.of(pause.get()) : Optional.empty();
    }

    @Override
    public synchronized void pause(Pause next) {
        if (resumeLater != null) {
            resumeLater.cancel(false);
            resumeLater = null;
        }
        pause.set(next);
        agent.engine().setPaused(true);
        if (next.until() != null) {
            long wait = Math.max(0, Duration.between(Instant.now(), next.until()).toMillis());
            resumeLater = timer.schedule(this::resume, wait, TimeUnit.MILLISECONDS);
            Logger.info("sync paused until {}", next.until());
        }
    }

    @Override
    public synchronized void resume() {
        if (resumeLater != null) {
            resumeLater.cancel(false);
            resumeLater = null;
        }
        pause.set(new Pause(null));
        agent.engine().setPaused(false);
    }

    @Override
    public Optional<Duration> commonInterval() {
        List<Duration> intervals = mirroredNames().stream().map(agent.engine()::interval).distinct().toList();
        return intervals.size() == 1 ? Optional.of(intervals.get(0)) : Optional.empty();
    }

    @Override
    public void setInterval(Duration interval) {
        agent.setInterval(interval);
    }

    @Override
    public long pendingWrites(String name) {
        return agent.pendingWrites(name);
    }

    @Override
    public List<PendingWrite> pendingList(String name, int limit) {
        return agent.pendingList(name, limit);
    }

    @Override
    public CompletableFuture<Void> clearCache(String name, boolean discardPending) {
        return agent.engine().clearCache(name, discardPending);
    }

    @Override
    public List<CycleRecord> history(String database, int limit) {
        return agent.state().history(database, limit);
    }

    @Override
    public List<ArchivedConflict> conflicts(String database, int limit) {
        return agent.state().conflicts(database, limit);
    }

    @Override
    public void restore(ArchivedConflict conflict) {
        agent.restore(conflict);
    }

    @Override
    public List<Waiting> waiting(String name) {
        return agent.waiting(name);
    }

    @Override
    public CompletableFuture<CycleRecord> settle(String name, Waiting waiting, WayOut way) {
        return agent.engine().resolve(name, waiting, way);
    }

    @Override
    public CompletableFuture<CycleRecord> rewrite(String name, Waiting waiting, Key row, Map<String, String> values) {
        return agent.engine().rewrite(name, waiting, row, values);
    }

    @Override
    public List<Renumbering> renumbered(String database, int limit) {
        return agent.state().renumberings(database, limit);
    }

    @Override
    public long unreviewedConflicts() {
        return agent.state().unreviewedConflicts();
    }

    @Override
    public void markConflictsReviewed() {
        agent.state().markConflictsReviewed(Instant.now());
    }

    @Override
    public SetupControl setup() {
        return setup;
    }

    @Override
    public FileSizes fileSizes(String name) {
        var db = agent.status().snapshot().database(name);
        return new FileSizes(db.map(d -> d.replicaPath() == null ? -1 : size(Path.of(d.replicaPath()))).orElse(-1L),
                db.map(d -> size(Path.of(d.hubPath()))).orElse(-1L));
    }

    /** A stat, not an open: sizing a live database must not touch its locks (DESIGN.md §6). */
    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public boolean notificationsEnabled() {
        return notifications;
    }

    @Override
    public void setNotificationsEnabled(boolean enabled) {
        agent.state().setting(APP, NOTIFICATIONS, enabled ? "on" : "off");
        notifications = enabled;
    }

    @Override
    public boolean startsAtLogin() {
        try {
            return startAtLogin.isEnabled();
        } catch (IOException e) {
            throw new UncheckedIOException("reading start-at-login from " + startAtLogin.location(), e);
        }
    }

    @Override
    public void setStartAtLogin(boolean enabled) {
        try {
            if (enabled) {
                startAtLogin.enable(LaunchCommand.forAgent(config));
            } else {
                startAtLogin.disable();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("changing start-at-login in " + startAtLogin.location() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String startAtLoginLocation() {
        return startAtLogin.location();
    }

    @Override
    public Path logDirectory() {
        return AppDirs.logDirectory();
    }

    @Override
    public Path cacheDirectory() {
        return agent.config().cacheDirectory();
    }

    @Override
    public Path configFile() {
        return config.file().toAbsolutePath();
    }

    @Override
    public Map<String, String> versions() {
        Map<String, String> v = new LinkedHashMap<>();
        String own = DesktopControl.class.getPackage().getImplementationVersion();
        v.put("ShareMirror", own == null ? "development build" : own);
        v.put("Java", System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vendor") + ")");
        v.put("SQLite", agent.state().sqliteVersion());
        v.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        return v;
    }

    @Override
    public void shutdown() {
        timer.shutdownNow();
        agent.close();
    }
}
