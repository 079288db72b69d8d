package io.sharemirror.app;

import io.sharemirror.config.DatabaseConfig;
import io.sharemirror.driver.Route;
import io.sharemirror.driver.Routes;
import java.io.PrintStream;
import java.util.Optional;

/**
 * {@code sharemirror path NAME}: the file other programs (Python, .NET, the sqlite3 shell) should open for NAME,
 * decided as the JDBC driver decides it: the replica, or the share path while NAME is opened directly.
 */
final class PathVerb {

    private PathVerb() {
    }

    /** Prints the path on stdout; when it is the share's, says why on stderr (the exit code is 0 either way). */
    static ExitCode run(Agent agent, String name, PrintStream out) {
        Optional<DatabaseConfig> db = agent.config().database(name);
        if (db.isEmpty()) {
            return Main.notMirrored(agent, name);
        }
        Route route = Routes.route(agent.config(), db.get());
        out.println(route.file());
        if (route.direct()) {
            System.err.println("sharemirror: " + name + " is opened on the share for now (" + route.directReason()
                    + "); the path printed is the share's");
        }
        return ExitCode.OK;
    }
}
