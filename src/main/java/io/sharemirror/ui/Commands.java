package io.sharemirror.ui;

import io.sharemirror.config.SyncInterval;
import io.sharemirror.platform.Folders;
import io.sharemirror.sync.ArchivedConflict;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.Waiting;
import io.sharemirror.sync.WayOut;
import java.awt.Component;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javax.swing.JCheckBox;
import javax.swing.JOptionPane;

/**
 * Every user action, in one place, for the tray menu and the dashboard alike. Each one does its work on
 * the background thread and reports back on the event thread: a result line, or a dialog when it failed.
 */
final class Commands {

    private final AgentControl agent;
    private final Background background;
    private final Consumer<String> report;
    /** Told after a change the status model does not announce (a pause, conflicts reviewed): the tray looks again. */
    private final Runnable changed;

    Commands(AgentControl agent, Background background, Consumer<String> report, Runnable changed) {
        this.agent = agent;
        this.background = background;
        this.report = report;
        this.changed = changed;
    }

    AgentControl agent() {
        return agent;
    }

    Background background() {
        return background;
    }

    CompletableFuture<List<CycleRecord>> syncAll() {
        return background.run(() -> {
            List<CompletableFuture<CycleRecord>> cycles = agent.mirroredNames().stream().map(agent::syncNow).toList();
            return cycles.stream().map(CompletableFuture::join).toList();
        }, records -> records.forEach(this::reportCycle), e -> report.accept("Sync failed: " + Failures.describe(e)));
    }

    CompletableFuture<CycleRecord> sync(String name) {
        return background.run(() -> agent.syncNow(name).join(), this::reportCycle,
                e -> report.accept(name + ": sync failed: " + Failures.describe(e)));
    }

    private void reportCycle(CycleRecord r) {
        report.accept(r.database() + ": " + cycle(r));
    }

    private static String cycle(CycleRecord r) {
        return switch (r.outcome()) {
            case IDLE -> "already in sync (" + Format.duration(r.duration()) + ")";
            case SYNCED -> "synced in " + Format.duration(r.duration()) + ": pushed " + r.pushed() + ", pulled "
                    + r.pulled() + (r.conflicts() > 0 ? ", " + Format.count(r.conflicts(), "conflict", "conflicts") : "");
            case OFFLINE -> "offline: " + r.error();
            case FAILED -> "failed: " + r.error();
        };
    }

    /** Keep Mine, Keep Theirs or Discard for a change that waits: says what it will do, then does it and syncs. */
    void settle(Component parent, WaitingPanel.Row row, WayOut way, Runnable done) {
        Waiting w = row.waiting();
        String title = switch (way) {
            case KEEP_MINE -> "Keep Mine";
            case KEEP_THEIRS -> "Keep Theirs";
            case DISCARD -> "Discard Change";
        };
        int answer = JOptionPane.showConfirmDialog(parent, new Object[] {row.database() + ": " + w.describe() + ".",
            WayOutText.consequence(w, way)}, title, JOptionPane.OK_CANCEL_OPTION, JOptionPane.QUESTION_MESSAGE);
        if (answer != JOptionPane.OK_OPTION) {
            return;
        }
        decided(parent, row.database(), title, () -> agent.settle(row.database(), w, way).join(), done);
    }

    /** A way out chosen: run off the event thread, then said with the cycle that pushed it; a refusal in a dialog. */
    void decided(Component parent, String database, String what, Callable<CycleRecord> decision, Runnable done) {
        report.accept(database + ": " + what + "…");
        background.run(decision, r -> {
            report.accept(database + ": " + what + " done; " + cycle(r));
            done.run();
            changed.run();
        }, e -> {
            report.accept(database + ": " + what + " did not run");
            JOptionPane.showMessageDialog(parent, Failures.describe(e), what, JOptionPane.ERROR_MESSAGE);
        });
    }

    /** Pauses every database until {@code until}, or until resumed when it is null. */
    void pause(Instant until) {
        change(() -> {
            agent.pause(new AgentControl.Pause(until));
            return "Sync paused " + TrayLook.until(until) + "; local writes keep queueing";
        });
    }

    void resume() {
        change(() -> {
            agent.resume();
            return "Sync resumed";
        });
    }

    void markConflictsReviewed() {
        change(() -> {
            agent.markConflictsReviewed();
            return "Every conflict is marked reviewed";
        });
    }

    /** Add Database…: the dialog, then the first copy's progress window. */
    void addDatabase(Component parent) {
        background.run(agent.setup()::newDraft, draft -> DatabaseDialog.add(parent, this, draft), this::fail);
    }

    void editDatabase(Component parent, String name) {
        background.run(() -> new DatabaseDialog.Current(agent.setup().draft(name), agent.setup().intervalOrigin(name)),
                current -> DatabaseDialog.edit(parent, this, current), this::fail);
    }

    /** Remove…: pushes first with Clear Cache's guard, and asks whether the local copy goes too. */
    void removeDatabase(Component parent, String name) {
        background.run(() -> agent.pendingWrites(name), pending -> confirmRemove(parent, name, pending), this::fail);
    }

    private void confirmRemove(Component parent, String name, long pending) {
        JCheckBox discard = new JCheckBox("If they cannot be pushed, remove it anyway (they are kept in the conflict"
                + " archive)");
        discard.setName("discardPending");
        JCheckBox delete = new JCheckBox("Also delete this computer's copy (the replica)");
        delete.setName("deleteReplica");
        List<Object> message = new ArrayList<>(List.of("ShareMirror stops mirroring " + name + ". The database on the"
                + " share is not touched; applications using the replica open the share instead."));
        if (pending > 0) {
            message.addAll(List.of(name + " has " + Format.count(pending, "local write", "local writes")
                    + " not yet on the share: Remove pushes them first.",
                    "If the share cannot be reached, Remove is refused and nothing changes.", discard));
        }
        if (pending >= 0) {
            message.add(delete);
        }
        int answer = JOptionPane.showConfirmDialog(parent, message.toArray(), "Remove " + name,
                JOptionPane.OK_CANCEL_OPTION, JOptionPane.WARNING_MESSAGE);
        if (answer != JOptionPane.OK_OPTION) {
            return;
        }
        report.accept(name + ": pushing its waiting writes, then removing it…");
        background.run(() -> {
            agent.setup().remove(name, discard.isSelected(), delete.isSelected());
            return name;
        }, n -> {
            report.accept(n + " is no longer mirrored" + (delete.isSelected() ? "; its replica was deleted" : ""));
            changed.run();
        }, e -> {
            report.accept(name + ": Remove did not run");
            JOptionPane.showMessageDialog(parent, "Remove of " + name + " was refused:\n" + Failures.describe(e),
                    "Remove", JOptionPane.ERROR_MESSAGE);
        });
    }

    void setInterval(Duration interval) {
        change(() -> {
            agent.setInterval(interval);
            return "Every database now syncs every " + SyncInterval.format(interval);
        });
    }

    void customInterval(Component parent) {
        IntervalDialog.ask(parent, agent.commonInterval().orElse(null)).ifPresent(this::setInterval);
    }

    /**
     * Clear Cache with the engine's rules: pending writes are pushed first; when they cannot be, it refuses,
     * unless the user ticked the box to discard them (they are archived, not dropped).
     */
    void clearCache(Component parent, String name) {
        background.run(() -> agent.pendingWrites(name), pending -> confirmClearCache(parent, name, pending), this::fail);
    }

    private void confirmClearCache(Component parent, String name, long pending) {
        JCheckBox discard = new JCheckBox("If they cannot be pushed, discard them (they are kept in the conflict archive)");
        discard.setName("discardPending");
        Object message = pending > 0
                ? new Object[] {name + " has " + Format.count(pending, "local write", "local writes")
                        + " not yet on the share.",
                        "Clear Cache pushes them first, then replaces the replica with a fresh copy of the hub.",
                        "If the share cannot be reached, Clear Cache is refused and nothing changes.", discard}
                : name + ": the replica will be replaced by a fresh copy of the hub.\nNo local writes are waiting.";
        int answer = JOptionPane.showConfirmDialog(parent, message, "Clear Cache of " + name,
                JOptionPane.OK_CANCEL_OPTION, JOptionPane.WARNING_MESSAGE);
        if (answer != JOptionPane.OK_OPTION) {
            return;
        }
        report.accept(name + ": clearing the cache…");
        background.run(() -> {
            agent.clearCache(name, discard.isSelected()).join();
            return name;
        }, n -> report.accept(n + ": cache cleared; the replica is a fresh copy of the hub"), e -> {
            report.accept(name + ": Clear Cache did not run");
            JOptionPane.showMessageDialog(parent, "Clear Cache of " + name + " was refused:\n" + Failures.describe(e),
                    "Clear Cache", JOptionPane.ERROR_MESSAGE);
        });
    }

    void restore(Component parent, ArchivedConflict conflict, Runnable done) {
        String what = conflict.loserJson() == null ? "the delete of this row"
                : conflict.columns().isEmpty() ? "the " + conflict.loserSide() + " version"
                : "the " + conflict.loserSide() + " values of " + String.join(", ", conflict.columns());
        int answer = JOptionPane.showConfirmDialog(parent, "Write " + what + " of " + conflict.table() + " "
                        + conflict.key() + " back to " + conflict.database() + "?\nIt becomes a new local write and"
                        + " replaces the current row everywhere at the next sync.", "Restore losing version",
                JOptionPane.OK_CANCEL_OPTION, JOptionPane.QUESTION_MESSAGE);
        if (answer == JOptionPane.OK_OPTION) {
            background.run(() -> {
                agent.restore(conflict);
                return conflict;
            }, c -> {
                report.accept(c.database() + ": restored " + c.table() + " " + c.key() + "; it syncs shortly");
                done.run();
            }, this::fail);
        }
    }

    void setNotifications(boolean on) {
        change(() -> {
            agent.setNotificationsEnabled(on);
            return on ? "Notifications on" : "Notifications off";
        });
    }

    void setStartAtLogin(boolean on) {
        change(() -> {
            agent.setStartAtLogin(on);
            return (on ? "Starts at login: " : "No longer starts at login: ") + agent.startAtLoginLocation();
        });
    }

    /** A setting change: made off the event thread, then said on the result line (or shown, when it failed). */
    private void change(Callable<String> makeAndDescribe) {
        background.run(makeAndDescribe, line -> {
            report.accept(line);
            changed.run();
        }, this::fail);
    }

    void report(String line) {
        report.accept(line);
    }

    void openLogs(Component parent) {
        background.run(() -> Folders.open(agent.logDirectory()), opened -> {
            if (!opened) {
                JOptionPane.showMessageDialog(parent, "No file manager could be started. The logs are in:\n"
                        + agent.logDirectory(), "Logs folder", JOptionPane.INFORMATION_MESSAGE);
            }
        }, this::fail);
    }

    void fail(Throwable e) {
        report.accept(Failures.describe(e));
        JOptionPane.showMessageDialog(null, Failures.describe(e), "ShareMirror", JOptionPane.ERROR_MESSAGE);
    }
}
