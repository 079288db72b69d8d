package io.sharemirror.app;

import io.sharemirror.paths.PathShape;
import io.sharemirror.platform.AppDirs;
import io.sharemirror.platform.ConfigLocation;
import io.sharemirror.platform.LaunchCommand;
import io.sharemirror.platform.StartAtLogin;
import io.sharemirror.status.PendingWrite;
import io.sharemirror.status.StatusModel;
import io.sharemirror.status.StatusSnapshot;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The running agent as the tray and dashboard see it. */
final class DesktopControl implements AgentControl {

    private final Agent agent;
    private final ConfigLocation config;
    private final StartAtLogin startAtLogin;
    private final SetupControl setup;

    DesktopControl(Agent agent, ConfigLocation config, StartAtLogin startAtLogin) {
        this.agent = agent;
        this.config = config;
        this.startAtLogin = startAtLogin;
        this.setup = new DesktopSetup(agent, config);
    }

    @Override
    public StatusSnapshot statusSnapshot() {
        return agent.statusSnapshot();
    }

    @Override
    public void subscribe(StatusModel.Listener listener) {
        agent.subscribe(listener);
    }

    @Override
    public void unsubscribe(StatusModel.Listener listener) {
        agent.unsubscribe(listener);
    }

    @Override
    public List<String> mirroredNames() {
        return agent.mirroredNames();
    }

    @Override
    public CompletableFuture<CycleRecord> syncNow(String name) {
        return agent.syncNow(name);
    }

    @Override
    public Optional<Pause> paused() {
        return agent.paused();
    }

    @Override
    public void pause(Pause pause) {
        agent.pause(pause);
    }

    @Override
    public void resume() {
        agent.resume();
    }

    @Override
    public Optional<Duration> commonInterval() {
        return agent.commonInterval();
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
        return agent.clearCache(name, discardPending);
    }

    @Override
    public List<CycleRecord> history(String database, int limit) {
        return agent.history(database, limit);
    }

    @Override
    public List<ArchivedConflict> conflicts(String database, int limit) {
        return agent.conflicts(database, limit);
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
        return agent.settle(name, waiting, way);
    }

    @Override
    public CompletableFuture<CycleRecord> rewrite(String name, Waiting waiting, Key row, Map<String, String> values) {
        return agent.rewrite(name, waiting, row, values);
    }

    @Override
    public List<Renumbering> renumbered(String database, int limit) {
        return agent.renumbered(database, limit);
    }

    @Override
    public long unreviewedConflicts() {
        return agent.unreviewedConflicts();
    }

    @Override
    public void markConflictsReviewed() {
        agent.markConflictsReviewed();
    }

    @Override
    public SetupControl setup() {
        return setup;
    }

    @Override
    public FileSizes fileSizes(String name) {
        var db = agent.statusSnapshot().database(name);
        return new FileSizes(db.map(d -> d.replicaPath() == null ? -1 : size(d.replicaPath())).orElse(-1L),
                db.map(d -> size(d.hubPath())).orElse(-1L));
    }

    /**
     * A stat, not an open: sizing a live database must not touch its locks (ARCHITECTURE.md#share-rules). -1 when
     * unknown, also for a PostgreSQL hub's URL, which is no file.
     */
    private static long size(String file) {
        try {
            return PathShape.of(file) == PathShape.POSTGRES ? -1 : Files.size(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public boolean notificationsEnabled() {
        return agent.notificationsEnabled();
    }

    @Override
    public void setNotificationsEnabled(boolean enabled) {
        agent.setNotificationsEnabled(enabled);
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
        v.put("SQLite", agent.sqliteVersion());
        v.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        return v;
    }

    @Override
    public void shutdown() {
        agent.close();
    }
}
