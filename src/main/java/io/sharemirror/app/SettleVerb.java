package io.sharemirror.app;

import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.StoreException;
import io.sharemirror.sync.Waiting;
import io.sharemirror.sync.WayOut;
import io.sharemirror.sync.WayOutRefused;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * {@code sharemirror settle NAME TABLE KEY WAY [COLUMN=VALUE ...]}: the dashboard's ways out of a row that waits, for a
 * script or a server without a display. The row is named as {@code status} lists it ({@code supplier [10]}, the key
 * with or without its brackets); either row of a clash names it. The way out is carried out by the engine and pushed
 * by the sync that follows.
 */
final class SettleVerb {

    static final String WAYS = "keep-mine, keep-theirs, keep-both COLUMN=VALUE..., edit COLUMN=VALUE..., discard";
    private static final List<String> NAMES = List.of("keep-mine", "keep-theirs", "keep-both", "edit", "discard");

    private SettleVerb() {
    }

    static ExitCode run(Agent agent, List<String> arguments, PrintStream out) throws InterruptedException {
        String name = arguments.get(0);
        if (!agent.isMirrored(name)) {
            return Main.notMirrored(agent, name);
        }
        String pk = arguments.get(2).startsWith("[") ? arguments.get(2) : "[" + arguments.get(2) + "]";
        Key named = new Key(arguments.get(1), pk);
        String way = arguments.get(3);
        if (!NAMES.contains(way)) {
            System.err.println("sharemirror: unknown way out '" + way + "'; ways out are " + WAYS);
            return ExitCode.USAGE;
        }
        List<String> typed = arguments.subList(4, arguments.size());
        List<Waiting> waiting = agent.waiting(name);
        Waiting chosen = waiting.stream().filter(w -> w.key().equals(named) || named.equals(w.clash().other()))
                .findFirst().orElse(null);
        if (chosen == null) {
            System.err.println("sharemirror: " + named.describe() + " does not wait in " + name + "; "
                    + (waiting.isEmpty() ? "no row waits there" : "the rows that wait there: " + String.join("; ",
                    waiting.stream().map(Waiting::describe).toList())) + " (see `status`)");
            return ExitCode.USAGE;
        }
        boolean withValues = way.equals("keep-both") || way.equals("edit");
        if (withValues == typed.isEmpty()) {
            System.err.println("sharemirror: " + (withValues ? way + " needs the new values, as COLUMN=VALUE"
                    + columnsHint(chosen) : way + " takes no values, got: " + String.join(" ", typed)));
            return ExitCode.USAGE;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String t : typed) {
            int at = t.indexOf('=');
            if (at <= 0) {
                System.err.println("sharemirror: '" + t + "' is not COLUMN=VALUE" + columnsHint(chosen));
                return ExitCode.USAGE;
            }
            values.put(t.substring(0, at), t.substring(at + 1));
        }
        CompletableFuture<CycleRecord> done = switch (way) {
            case "keep-mine" -> agent.settle(name, chosen, WayOut.KEEP_MINE);
            case "keep-theirs" -> agent.settle(name, chosen, WayOut.KEEP_THEIRS);
            case "discard" -> agent.settle(name, chosen, WayOut.DISCARD);
            // Keep both: this computer's row takes the values typed; edit: the row that waits does.
            case "keep-both" -> agent.rewrite(name, chosen, chosen.fromHub() ? chosen.clash().other()
                    : chosen.key(), values);
            default -> agent.rewrite(name, chosen, chosen.key(), values); // edit
        };
        try {
            CycleRecord r = done.get();
            out.println(name + ": " + way + " for " + named.describe() + " done; the sync that followed: "
                    + r.outcome().name().toLowerCase() + ", pushed " + r.pushed() + ", pulled " + r.pulled()
                    + (r.error() == null ? "" : " - " + r.error()));
            return ExitCode.OK;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WayOutRefused refused) {
                System.err.println("sharemirror: " + way + " refused: " + refused.getMessage() + " (" + refused.hint()
                        + ")");
                return ExitCode.REFUSED;
            }
            if (e.getCause() instanceof StoreException s) {
                System.err.println("sharemirror: " + way + " failed: " + s.getMessage()
                        + (s.hint() == null ? "" : " (" + s.hint() + ")"));
                return s.kind() == StoreException.Kind.OFFLINE ? ExitCode.OFFLINE : ExitCode.FAILED;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static String columnsHint(Waiting w) {
        return w.clash().columns().isEmpty() ? "" : ", e.g. " + w.clash().columns().get(0) + "=...";
    }
}
