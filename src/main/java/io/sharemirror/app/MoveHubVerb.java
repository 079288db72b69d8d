package io.sharemirror.app;

import io.sharemirror.config.AppConfig;
import io.sharemirror.config.ConfigException;
import io.sharemirror.config.DatabaseConfig;
import io.sharemirror.paths.PostgresAddress;
import io.sharemirror.store.ConnectionFactory;
import io.sharemirror.store.HubCopy;
import io.sharemirror.store.HubMove;
import io.sharemirror.store.pg.PgConnector;
import io.sharemirror.store.pg.PgHubCopy;
import io.sharemirror.sync.HubMovedException;
import io.sharemirror.sync.StoreException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code sharemirror move-hub NAME --to postgresql://...}: a database's shared file moved into PostgreSQL. The design
 * (ARCHITECTURE.md#moving-a-hub):
 * <ol>
 * <li>Everything that can be refused is refused before the file is locked: an unknown name, a hub on PostgreSQL
 *     already, a URL that is not a hub's, a config that would not take the new path, a file that moved already.</li>
 * <li>{@link HubMove} holds the file's write lock from before the copy to the mark, so no write lands in the file
 *     after its copy began; writers wait and retry meanwhile.</li>
 * <li>{@link HubCopy} copies tables, rows and the log into one PostgreSQL transaction, reads everything back and
 *     compares; the log keeps its numbers and the new hub numbers on after the file's highest, so every replica's
 *     cursor means the same on both hubs. PostgreSQL commits, then the file is marked ({@code _sm_moved} and triggers
 *     refusing every write with the new hub's URL) and commits.</li>
 * <li>Every agent's probe finds the mark; its cycle stops before pushing and {@link HubFollower} points its config at
 *     the new hub, where the same replica, cursor and queue go on. This computer's config is pointed the same way.</li>
 * </ol>
 */
final class MoveHubVerb {

    /** The production copy: the connector's connection to the new hub, with the environment's credentials. */
    static final Function<PostgresAddress, HubCopy> TO_POSTGRES = to -> new PgHubCopy(
            PgConnector.ofThisProcess().open(to), to.describe());

    private MoveHubVerb() {
    }

    static ExitCode run(AppConfig config, CommandLine cl, PrintStream out, Function<PostgresAddress, HubCopy> copies)
            throws IOException {
        String name = cl.name().orElseThrow();
        Path file = config.source().toAbsolutePath();
        Optional<DatabaseConfig> found = config.database(name);
        if (found.isEmpty()) {
            return refused(ExitCode.USAGE, "no database named '" + name + "' in " + file + "; configured: "
                    + (config.databases().isEmpty() ? "none yet" : String.join(", ",
                    config.databases().stream().map(DatabaseConfig::name).toList())));
        }
        DatabaseConfig db = found.get();
        if (db.postgres().isPresent()) {
            return refused(ExitCode.USAGE, name + "'s hub is on " + db.hubKind() + " already; move-hub moves a hub"
                    + " that is a shared file");
        }
        PostgresAddress to;
        try {
            to = PostgresAddress.parse(cl.to());
        } catch (PostgresAddress.Invalid e) {
            return refused(ExitCode.USAGE, "--to is not a PostgreSQL hub's URL: " + e.getMessage());
        }
        try {
            HubFollower.pointedAt(Files.readString(file), file, db, to.url());
        } catch (ConfigException e) {
            return refused(ExitCode.USAGE, "the config file would refuse " + name + " on " + to.describe()
                    + ", so nothing was moved:\n" + e.getMessage());
        }
        HubMove move = new HubMove(name, Path.of(db.location()), new ConnectionFactory(
                config.tuning().connectionTimeout()));
        try {
            Optional<String> moved = move.movedTo();
            if (moved.isPresent()) {
                return refused(ExitCode.REFUSED, name + " moved already, to " + moved.get() + "; ShareMirror's agent"
                        + " points this computer's config at it by itself");
            }
            if (!cl.yes() && !confirmed(out, name, db, to)) {
                return refused(ExitCode.REFUSED, "not moved: answer yes to move, or run with --yes");
            }
            HubCopy.Report report;
            try (HubCopy copy = copies.apply(to)) {
                report = move.move(to.url(), copy, line -> out.println(name + ": " + line));
            }
            new HubFollower(file).follow(name, new HubMovedException(to.url(), to.describe()));
            out.println(name + ": moved to " + to.describe() + ": " + report.tables() + " tables, " + report.rows()
                    + " rows checked, " + report.logEntries() + " log entries (numbers up to " + report.logHead()
                    + " kept). " + db.location() + " now refuses writes and names the new hub; every desktop"
                    + " follows on its next sync, and " + file + " names it here.");
            return ExitCode.OK;
        } catch (HubMovedException e) {
            return refused(ExitCode.REFUSED, name + " " + e.getMessage() + " meanwhile; nothing was copied");
        } catch (StoreException e) {
            return refused(e.kind() == StoreException.Kind.OFFLINE ? ExitCode.OFFLINE : ExitCode.FAILED,
                    "move-hub failed: " + e.getMessage() + (e.hint() == null ? "" : " (" + e.hint() + ")")
                    + "; the file is still the hub");
        }
    }

    private static boolean confirmed(PrintStream out, String name, DatabaseConfig db, PostgresAddress to)
            throws IOException {
        out.print("Move " + name + " from " + db.location() + " to " + to.describe() + "? Writers of the file wait"
                + " while it is copied; afterwards it refuses writes and every desktop follows. Type yes to move: ");
        out.flush();
        String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return "yes".equalsIgnoreCase(answer == null ? "" : answer.strip());
    }

    private static ExitCode refused(ExitCode code, String message) {
        System.err.println("sharemirror: " + message);
        return code;
    }
}
