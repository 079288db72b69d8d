package io.sharemirror.store.pg;

import io.sharemirror.paths.PostgresAddress;
import java.util.Map;
import java.util.Optional;

/**
 * Who connects to a hub and with which password, found as libpq finds them: the user from the URL, else
 * {@code PGUSER}, else this computer's user; the password from {@code PGPASSWORD}, else the password file
 * ({@link PgPassFile}). Never from the config file. Knows where the password came from, so that a refused login gets a
 * hint that names what to fix.
 *
 * @param password empty when none was found: the server may still let the user in (trust, peer, cert)
 * @param source where {@code password} came from, for people: {@code PGPASSWORD} or {@code line 3 of /home/x/.pgpass}
 */
record PgLogin(PostgresAddress address, String user, Optional<String> password, String source, PgPassFile file) {

    static PgLogin find(PostgresAddress address, Map<String, String> environment, PgPassFile file, String osUser) {
        String pgUser = environment.get("PGUSER");
        String user = address.user().orElse(pgUser != null && !pgUser.isEmpty() ? pgUser : osUser);
        String pgPassword = environment.get("PGPASSWORD");
        if (pgPassword != null && !pgPassword.isEmpty()) {
            return new PgLogin(address, user, Optional.of(pgPassword), "PGPASSWORD", file);
        }
        return file.find(address.host(), address.port(), address.database(), user)
                .map(e -> new PgLogin(address, user, Optional.of(e.password()), "line " + e.line() + " of "
                        + file.path(), file))
                .orElseGet(() -> new PgLogin(address, user, Optional.empty(), "", file));
    }

    /** What to do after the server refused this login: fix the password where it came from, or give one. */
    String refusedHint() {
        if (password.isEmpty()) {
            return "no password found for user " + user + ": add a line to " + file.path() + " (chmod 600): "
                    + passwordLine() + ", or set PGPASSWORD";
        }
        if (source.equals("PGPASSWORD")) {
            return "the password in PGPASSWORD was refused for user " + user + "; set it to that user's password, or"
                    + " unset it and add a line to " + file.path() + ": " + passwordLine();
        }
        return "the password on " + source + " was refused for user " + user + "; correct that line ("
                + passwordLine() + "). If the password is right, the server's pg_hba.conf may not let " + user
                + " connect to " + address.database() + " from this computer";
    }

    /** The line the password file needs, with PASSWORD standing for the password. */
    private String passwordLine() {
        return String.join(":", escape(address.host()), Integer.toString(address.port()), escape(address.database()),
                escape(user), "PASSWORD");
    }

    private static String escape(String field) {
        return field.replace("\\", "\\\\").replace(":", "\\:");
    }

    @Override
    public String toString() {
        return "PgLogin[" + user + "@" + address.describe() + ", password " + (password.isPresent() ? "from " + source
                : "none") + "]";
    }
}
