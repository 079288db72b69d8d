package io.sharemirror.app;

import io.sharemirror.config.SyncInterval;
import io.sharemirror.store.StateStore;
import io.sharemirror.sync.SyncEngine;
import io.sharemirror.ui.AgentControl.Pause;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.tinylog.Logger;

/**
 * The one owner of every setting a person can change while ShareMirror runs: each database's sync interval, the pause,
 * and notifications on or off. The engine only carries out what this class decides; nothing else writes these
 * settings to the engine or to {@code state.db}.
 *
 * <p>The sync interval, per database:
 * <ol>
 * <li>the config file's {@code sync_interval} applies when the database starts syncing (the agent starts, the
 *     database is added to the file, or an edit restarts its sync);</li>
 * <li>a choice in the tray menu's Sync Interval (a preset or Custom…) applies at once to every mirrored database and
 *     is remembered in {@code state.db} together with the file's value it overrode;</li>
 * <li>the menu's choice stays in force, also over restarts and edits of the database's other settings, as long as the
 *     file says what it said when the choice was made;</li>
 * <li>once the file says something else (edited while the agent runs or while it is stopped, alone or together with
 *     other settings), the file's value applies and the menu's choice is forgotten;</li>
 * <li>a database removed from the file while the agent runs forgets its menu choice: added again, it starts from the
 *     file's value.</li>
 * </ol>
 * A choice remembered by a build that did not note the file's value is forgotten: the file's value applies. The Edit
 * dialog shows the interval in force and {@link Interval#origin()}; saving it writes that value to the file, which then
 * wins by rule 4 with the same value.
 *
 * <p>The pause lives in memory only: a restart syncs again. Notifications are remembered in {@code state.db}.
 */
final class Settings {

    /** state.db settings of a database: the menu's choice, and the file's value when it was made. */
    static final String MENU_INTERVAL = "sync_interval";
    static final String FILE_INTERVAL = "sync_interval_file";
    /** state.db settings of the whole app rather than one database. */
    private static final String APP = "*";
    private static final String NOTIFICATIONS = "notifications";

    /** A database's sync interval in force, where it comes from, and what the config file says. */
    record Interval(Duration value, boolean chosenInMenu, Duration inFile) {

        static Interval fromFile(Duration inFile) {
            return new Interval(inFile, false, inFile);
        }

        /** For people: "from the config file", or "chosen in the tray menu (the config file says 30 s)". */
        String origin() {
            return chosenInMenu ? "chosen in the tray menu (the config file says " + SyncInterval.format(inFile) + ")"
                    : "from the config file";
        }
    }

    private final StateStore state;
    private final SyncEngine engine;
    private final Map<String, Interval> intervals = new ConcurrentHashMap<>();
    /** Asked on every status change, on the engine's threads: kept here rather than read from state.db each time. */
    private volatile boolean notifications;

    Settings(StateStore state, SyncEngine engine) {
        this.state = state;
        this.engine = engine;
        this.notifications = !state.setting(APP, NOTIFICATIONS).orElse("on").equals("off");
    }

    /** The interval {@code name} starts syncing with, now that the config file says {@code inFile} for it. */
    synchronized Duration starting(String name, Duration inFile) {
        Interval now = decide(name, inFile);
        intervals.put(name, now);
        if (now.chosenInMenu()) {
            Logger.info("{}: syncs every {} s, as chosen in the tray menu (the config file says {} s)", name,
                    now.value().toSeconds(), inFile.toSeconds());
        }
        return now.value();
    }

    /** The config file now says {@code inFile} for a database that keeps syncing: the engine follows the rule. */
    synchronized void fileSays(String name, Duration inFile) {
        Interval now = decide(name, inFile);
        Interval before = intervals.put(name, now);
        if (before == null || !before.value().equals(now.value())) {
            Logger.info("{}: sync interval is now {} s", name, now.value().toSeconds());
            engine.setInterval(name, now.value());
        }
    }

    /** The menu's choice or the file's value, whichever the rule puts in force; forgets a choice the file replaced. */
    private Interval decide(String name, Duration inFile) {
        Optional<Duration> chosen = seconds(state.setting(name, MENU_INTERVAL));
        if (chosen.isEmpty()) {
            return Interval.fromFile(inFile);
        }
        if (seconds(state.setting(name, FILE_INTERVAL)).filter(inFile::equals).isPresent()) {
            return new Interval(chosen.get(), true, inFile);
        }
        Logger.info("{}: the config file's sync_interval ({} s) replaces the {} s chosen in the tray menu", name,
                inFile.toSeconds(), chosen.get().toSeconds());
        forget(name);
        return Interval.fromFile(inFile);
    }

    /** The tray menu's Sync Interval: every mirrored database, at once and remembered. */
    synchronized void choose(Duration interval) {
        for (String name : engine.names()) {
            Duration inFile = intervals.get(name).inFile();
            state.setting(name, MENU_INTERVAL, Long.toString(interval.toSeconds()));
            state.setting(name, FILE_INTERVAL, Long.toString(inFile.toSeconds()));
            intervals.put(name, new Interval(interval, true, inFile));
            engine.setInterval(name, interval);
        }
        Logger.info("sync interval set to {} s for every database", interval.toSeconds());
    }

    /** The database left the config file. */
    synchronized void removed(String name) {
        intervals.remove(name);
        forget(name);
    }

    private void forget(String name) {
        state.forgetSetting(name, MENU_INTERVAL);
        state.forgetSetting(name, FILE_INTERVAL);
    }

    private static Optional<Duration> seconds(Optional<String> text) {
        return text.map(s -> Duration.ofSeconds(Long.parseLong(s)));
    }

    /** The interval in force for a mirrored database; empty for one opened directly, which has none. */
    Optional<Interval> interval(String name) {
        return Optional.ofNullable(intervals.get(name));
    }

    /** The interval every mirrored database uses, or empty when they differ. */
    Optional<Duration> commonInterval() {
        List<Duration> all = engine.names().stream().map(intervals::get).map(Interval::value).distinct().toList();
        return all.size() == 1 ? Optional.of(all.get(0)) : Optional.empty();
    }

    boolean notifications() {
        return notifications;
    }

    void notifications(boolean enabled) {
        state.setting(APP, NOTIFICATIONS, enabled ? "on" : "off");
        notifications = enabled;
    }

    /** The pause in force, as the engine keeps it: empty once it ended by itself or was resumed. */
    Optional<Pause> paused() {
        return engine.pausedUntil().map(until -> new Pause(until.equals(Instant.MAX) ? null : until));
    }

    /** Every database stops syncing until the pause's time, or until {@link #resume()}. */
    void pause(Pause next) {
        engine.pauseUntil(next.until() == null ? Instant.MAX : next.until());
    }

    void resume() {
        engine.resume();
    }
}
