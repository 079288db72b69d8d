package io.sharemirror.app;

import io.sharemirror.config.ConfigEdits;
import io.sharemirror.config.ConfigException;
import io.sharemirror.config.ConfigLoader;
import io.sharemirror.config.DatabaseConfig;
import io.sharemirror.config.DatabaseDraft;
import io.sharemirror.config.EnableCache;
import io.sharemirror.paths.PathShape;
import io.sharemirror.paths.PostgresAddress;
import io.sharemirror.platform.ConfigLocation;
import io.sharemirror.platform.MirrorDecision;
import io.sharemirror.platform.NetworkPaths;
import io.sharemirror.platform.SafeFiles;
import io.sharemirror.status.FileCheck;
import io.sharemirror.status.FileCheck.Finding;
import io.sharemirror.status.FileCheck.Topic;
import io.sharemirror.status.FileCheck.Verdict;
import io.sharemirror.store.FileInspector;
import io.sharemirror.store.pg.PgConnector;
import io.sharemirror.store.pg.PgInspector;
import io.sharemirror.sync.CloneProgress;
import io.sharemirror.ui.SetupControl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.tinylog.Logger;

/**
 * The dashboard's Add, Edit and Remove Database: edits of the config file ({@link ConfigEdits}) written atomically and
 * applied to the running agent at once, and the live checks of a file before it is added. One edit at a time.
 */
final class DesktopSetup implements SetupControl {

    /** How long the dialog's check waits for a PostgreSQL server: enough for a far one, short for a typo. */
    private static final Duration SERVER_CHECK_TIMEOUT = Duration.ofSeconds(5);

    private final Agent agent;
    private final ConfigLocation location;

    DesktopSetup(Agent agent, ConfigLocation location) {
        this.agent = agent;
        this.location = location;
    }

    @Override
    public DatabaseDraft newDraft() throws ConfigException, IOException {
        return ConfigEdits.newEntryDefaults(text(), file());
    }

    @Override
    public DatabaseDraft draft(String name) {
        DatabaseDraft inFile = DatabaseDraft.of(agent.config().database(name).orElseThrow(
                () -> new IllegalArgumentException("no database named " + name + " in " + file())));
        return new DatabaseDraft(inFile.name(), inFile.path(), agent.interval(name).value(), inFile.enableCache(),
                inFile.conflict(), inFile.mode());
    }

    @Override
    public String intervalOrigin(String name) {
        return agent.interval(name).origin();
    }

    @Override
    public List<ConfigException.Problem> problems(DatabaseDraft draft, boolean editing) throws IOException {
        try {
            edited(draft, editing);
            return List.of();
        } catch (ConfigException e) {
            return e.problems();
        }
    }

    @Override
    public FileCheck check(DatabaseDraft draft, boolean editing) {
        if (PathShape.of(draft.path().strip()) == PathShape.POSTGRES) {
            return checkServer(draft.path().strip(), draft.enableCache(), editing);
        }
        String location = ConfigLoader.resolve(draft.path().strip(), file().getParent());
        Finding placement = placement(location, draft.enableCache());
        if (editing) {
            return new FileCheck(List.of(placement));
        }
        Optional<DatabaseConfig> known = agent.config().databaseAt(location);
        if (known.isPresent()) {
            return new FileCheck(List.of(new Finding(Topic.REACHABLE, Verdict.PROBLEM, "ShareMirror mirrors this file"
                    + " already, as " + known.get().name())));
        }
        return FileInspector.inspect(location, draft.mode(), agent.config().tuning().connectionTimeout())
                .with(placement);
    }

    /** A hub on PostgreSQL: its URL, then (adding) whether the server lets this user in and what the database holds. */
    private FileCheck checkServer(String url, EnableCache setting, boolean editing) {
        PostgresAddress address;
        try {
            address = PostgresAddress.parse(url);
        } catch (PostgresAddress.Invalid e) {
            return new FileCheck(List.of(new Finding(Topic.URL, Verdict.PROBLEM, e.getMessage())));
        }
        Finding placement = setting == EnableCache.FALSE
                ? new Finding(Topic.PLACEMENT, Verdict.PROBLEM, "a PostgreSQL hub is always mirrored into a replica"
                        + " on this computer, which applications open; choose Mirror: auto or always")
                : new Finding(Topic.PLACEMENT, Verdict.GOOD, "mirrored into a replica on this computer, which"
                        + " applications open (a PostgreSQL hub always is)");
        if (editing) {
            return new FileCheck(List.of(placement));
        }
        Optional<DatabaseConfig> known = agent.config().databaseOn(address);
        if (known.isPresent()) {
            return new FileCheck(List.of(new Finding(Topic.HUB, Verdict.PROBLEM, "ShareMirror mirrors this database"
                    + " already, as " + known.get().name())));
        }
        // Connector made per check: it reads ~/.pgpass as it is now, which the user may just have edited.
        PgConnector connector = new PgConnector(System.getenv(), SERVER_CHECK_TIMEOUT, SERVER_CHECK_TIMEOUT);
        return PgInspector.inspect(address, connector).with(new Finding(Topic.URL, Verdict.GOOD,
                address.describe())).with(placement);
    }

    /** Where the file lies, and so what its Mirror setting does with it. */
    private static Finding placement(String location, EnableCache setting) {
        NetworkPaths.Placement where = NetworkPaths.classify(location);
        MirrorDecision decision = MirrorDecision.decide(setting, where);
        String text = switch (setting) {
            case AUTO -> where.network() ? "on a network share (" + where.reason() + "): mirrored, as Mirror: auto does"
                    + " for network paths" : "on this computer (" + where.reason() + "): with Mirror: auto,"
                    + " applications open it where it is and nothing is mirrored; choose Mirror: always to mirror it";
            case TRUE -> "mirrored (Mirror: always); the path is " + where.reason();
            case FALSE -> "opened where it is, never mirrored (Mirror: never); the path is " + where.reason();
        };
        return new Finding(Topic.PLACEMENT, decision.mirror() ? Verdict.GOOD : Verdict.NOTE, text);
    }

    @Override
    public synchronized void add(DatabaseDraft draft, CloneProgress firstCopy) throws ConfigException, IOException {
        String text = edited(draft, false);
        agent.expectFirstCopy(draft.name(), firstCopy);
        write(text);
        Logger.info("{}: added from the dashboard ({})", draft.name(), draft.path());
    }

    @Override
    public synchronized void change(DatabaseDraft draft) throws ConfigException, IOException {
        write(edited(draft, true));
        Logger.info("{}: settings changed from the dashboard", draft.name());
    }

    @Override
    public void remove(String name, boolean discardPending, boolean deleteReplica) throws ConfigException, IOException {
        try {
            agent.release(name, discardPending).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        synchronized (this) {
            write(ConfigEdits.remove(text(), file(), name));
        }
        Logger.info("{}: removed from the dashboard", name);
        if (deleteReplica) {
            agent.deleteReplica(name);
        }
    }

    private String edited(DatabaseDraft draft, boolean editing) throws ConfigException, IOException {
        if (editing) {
            return ConfigEdits.change(text(), file(), draft);
        }
        return Files.exists(file()) ? ConfigEdits.add(text(), file(), draft) : ConfigEdits.newFile(file(), draft);
    }

    /** Written where a reader sees the old file or the new one, then applied without waiting for the file watcher. */
    private void write(String text) throws ConfigException, IOException {
        SafeFiles.writeAtomically(file(), text);
        agent.reconfigure(ConfigLoader.parse(text, file()));
    }

    private String text() throws IOException {
        return Files.exists(file()) ? Files.readString(file()) : ConfigFile.NONE_YET;
    }

    private Path file() {
        return location.file().toAbsolutePath();
    }
}
