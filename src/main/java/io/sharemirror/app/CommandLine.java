package io.sharemirror.app;

import io.sharemirror.config.ConfigLoader;
import io.sharemirror.platform.LaunchCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The parsed command line: a verb, its arguments and the options. */
record CommandLine(String verb, List<String> arguments, String config, boolean headless, boolean discardPending,
                   int seconds, boolean help, boolean json, String to, boolean yes) {

    static final List<String> VERBS = List.of("run", "sync", "status", "clear-cache", "path", "settle", "move-hub",
            "demo", "help");
    private static final List<String> OPTIONS = List.of("--config", "--headless", "--discard-pending", "--seconds",
            "--json", "--to", "--yes", "--help");

    static final String USAGE = """
            Usage: %s [options]

            Verbs:
              run                   run the agent: keep every configured database in sync until Quit or
                                    SIGTERM; in the system tray, in a dashboard window where the desktop
                                    has no tray, headless where there is no display
              sync [NAME]           run one sync cycle now for NAME, or for every mirrored database
              status [--json]       show each database: state, pending writes, last sync, mode, paths;
                                    --json: the same as one JSON object (README: "status --json")
              clear-cache NAME      push, then replace NAME's replica with a fresh copy of the hub
              path NAME             print the file other programs should open for NAME: its replica, or the
                                    share path while NAME is opened directly (the reason goes to stderr)
              settle NAME TABLE KEY WAY [COLUMN=VALUE ...]
                                    a way out for a row that waits in NAME (status lists them, e.g.
                                    supplier [10]): keep-mine, keep-theirs (the loser is archived),
                                    keep-both code=NEW-2 (this computer's row takes the value), edit
                                    name=Acme (the row that waits takes it), discard; then it syncs
              move-hub NAME --to postgresql://[user@]host[:port]/dbname [--yes]
                                    copy NAME's shared file into that PostgreSQL database, check every
                                    row, and mark the file so every desktop follows and direct writers
                                    are told where it went; this computer's config names the new hub
              demo                  create the demo share if missing, mirror it, write on both sides
              help                  show this text

            Options:
              --config PATH         the config file; without it: the sharemirror.config system property,
                                    the SHAREMIRROR_CONFIG environment variable, else this user's own
                                    file (Linux: ~/.config/sharemirror/config.yaml)
              --headless            run without tray icon or windows, even with a display
              --discard-pending     with clear-cache: archive unpushed writes in state.db and drop them
              --seconds N           with demo: how long to run (default 20)
              --json                with status: print JSON instead of the table
              --to URL              with move-hub: the new hub (passwords go in ~/.pgpass or PGPASSWORD)
              --yes                 with move-hub: move without asking
              -h, --help            show this text

            Exit codes:
            """;

    static CommandLine parse(String[] args) throws UsageException {
        String verb = null;
        List<String> arguments = new ArrayList<>();
        String config = null;
        boolean headless = false;
        boolean discard = false;
        boolean help = false;
        boolean json = false;
        String to = null;
        boolean yes = false;
        int seconds = 20;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> help = true;
                case "--headless" -> headless = true;
                case "--discard-pending" -> discard = true;
                case "--json" -> json = true;
                case "--yes" -> yes = true;
                case "--to" -> to = value(args, ++i, a);
                case "--config" -> config = value(args, ++i, a);
                case "--seconds" -> seconds = positive(value(args, ++i, a), a);
                default -> {
                    if (a.startsWith("--config=")) {
                        config = a.substring("--config=".length());
                    } else if (a.startsWith("-")) {
                        throw new UsageException("unknown option " + a + ConfigLoader.didYouMean(a, OPTIONS)
                                + "; options are --config PATH, --headless, --discard-pending, --seconds N, --json,"
                                + " --to URL, --yes, --help");
                    } else if (verb == null) {
                        if (!VERBS.contains(a)) {
                            throw new UsageException("unknown verb '" + a + "'" + ConfigLoader.didYouMean(a, VERBS)
                                    + "; verbs are " + String.join(", ", VERBS));
                        }
                        verb = a;
                    } else {
                        arguments.add(a);
                    }
                }
            }
        }
        if (verb == null) {
            if (!help) {
                throw new UsageException("no verb given; verbs are " + String.join(", ", VERBS));
            }
            verb = "help";
        }
        int allowed = switch (verb) {
            case "sync", "clear-cache", "path", "move-hub" -> 1;
            case "settle" -> Integer.MAX_VALUE;
            default -> 0;
        };
        if (arguments.size() > allowed) {
            throw new UsageException(verb + " takes " + (allowed == 0 ? "no arguments" : "one database name")
                    + ", got: " + String.join(" ", arguments));
        }
        if (json && !verb.equals("status")) {
            throw new UsageException("--json goes with status only");
        }
        if (verb.equals("settle") && arguments.size() < 4) {
            throw new UsageException("settle needs the database, the table, the key and the way out, e.g. settle"
                    + " orders supplier 10 keep-mine; ways out are " + SettleVerb.WAYS);
        }
        if (!verb.equals("move-hub") && (to != null || yes)) {
            throw new UsageException("--to and --yes go with move-hub only");
        }
        if (verb.equals("move-hub") && to == null && !help) {
            throw new UsageException("move-hub needs the new hub, e.g. move-hub chinook --to"
                    + " postgresql://team@db.example.com/chinook");
        }
        if ((verb.equals("clear-cache") || verb.equals("path") || verb.equals("move-hub")) && arguments.isEmpty()) {
            throw new UsageException(verb + " needs the name of a database, e.g. " + verb + " chinook");
        }
        return new CommandLine(verb, List.copyOf(arguments), config, headless, discard, seconds, help, json, to, yes);
    }

    Optional<String> name() {
        return arguments.stream().findFirst();
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(String text, String option) throws UsageException {
        try {
            int n = Integer.parseInt(text);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException(option + " must be a whole number of seconds above 0, got '" + text + "'");
    }

    /** The usage text, naming the program as it can be typed here (the installed launcher, or java -jar). */
    static String usage() {
        StringBuilder text = new StringBuilder(USAGE.formatted(LaunchCommand.typed("<verb>")));
        for (ExitCode c : ExitCode.values()) {
            text.append(String.format("  %d  %s%n", c.code, c.meaning));
        }
        return text.toString();
    }

    /** A command line that cannot be run; the message says what is wrong and what is allowed. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }
}
