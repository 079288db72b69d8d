package io.sharemirror.store;

import io.sharemirror.sync.SchemaObject;
import io.sharemirror.sync.SchemaStep;
import io.sharemirror.sync.SchemaStep.Kind;
import io.sharemirror.sync.SchemaStep.Side;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

/**
 * The three-way comparison of a schema: each object as the replica has it, as the hub has it, and as both last agreed
 * (stored in the replica). Changed on one side only: the change is reproduced on the other. Changed on both sides the
 * same way (the same migration ran on two desktops): agreed. Changed both ways differently: the hub's version is taken
 * and the table's local rows are archived. A table dropped on the hub is returned apart: the caller drops it here
 * too unless this desktop holds changes to it.
 */
final class SchemaMerge {

    /** The plan: steps in the order to run them, tables changed two ways, tables dropped on the hub. */
    record Plan(List<SchemaStep> steps, Set<String> conflicts, Set<String> droppedOnHub) {
    }

    private SchemaMerge() {
    }

    static Plan plan(Map<String, SchemaObject> local, Map<String, SchemaObject> hub, AgreedSchema.Agreed last) {
        Map<String, SchemaObject> agreed = last.defs();
        List<SchemaStep> steps = new ArrayList<>();
        Set<String> conflicts = new TreeSet<>();
        Set<String> droppedOnHub = new TreeSet<>();
        Set<String> handled = new HashSet<>();
        renames(local, hub, agreed, Side.HUB, a -> a.root(), steps, handled);
        renames(hub, local, agreed, Side.REPLICA, a -> last.hubRoots().getOrDefault(a.key(), 0L), steps, handled);
        Set<String> keys = new TreeSet<>(agreed.keySet());
        keys.addAll(local.keySet());
        keys.addAll(hub.keySet());
        for (String key : keys) {
            if (handled.contains(key)) {
                continue;
            }
            SchemaObject a = agreed.get(key);
            SchemaObject l = local.get(key);
            SchemaObject h = hub.get(key);
            if (same(l, h)) {
                continue;
            }
            if (same(l, a)) {
                if (h == null && l.isTable()) {
                    droppedOnHub.add(l.name());
                } else {
                    steps.add(step(Side.REPLICA, l, h));
                }
            } else if (same(h, a)) {
                steps.add(step(Side.HUB, h, l));
            } else {
                // Both changed, differently. The hub is the authority; the local rows are archived by the caller.
                conflicts.add((l != null ? l : h).table());
                if (h != null || !l.isTable()) {
                    steps.add(step(Side.REPLICA, l, h));
                }
            }
        }
        steps.sort((x, y) -> Integer.compare(order(x), order(y)));
        return new Plan(steps, conflicts, droppedOnHub);
    }

    /**
     * A table the agreed schema knows that is gone from {@code changed} under its name while a table new to both sides
     * has its root page there: renamed on that side, so renamed on the other ({@code on}) too.
     */
    private static void renames(Map<String, SchemaObject> changed, Map<String, SchemaObject> other,
                                Map<String, SchemaObject> agreed, Side on, ToLongFunction<SchemaObject> rootThere,
                                List<SchemaStep> steps, Set<String> handled) {
        for (SchemaObject a : agreed.values()) {
            if (!a.isTable() || changed.containsKey(a.key()) || !same(other.get(a.key()), a)) {
                continue;
            }
            long root = rootThere.applyAsLong(a);
            for (SchemaObject n : changed.values()) {
                if (n.isTable() && n.root() == root && root != 0 && !agreed.containsKey(n.key())
                        && !other.containsKey(n.key())) {
                    steps.add(new SchemaStep(on, Kind.RENAME, other.get(a.key()), n));
                    handled.add(a.key());
                    handled.add(n.key());
                }
            }
        }
    }

    private static SchemaStep step(Side on, SchemaObject from, SchemaObject into) {
        Kind kind = from == null ? Kind.CREATE : into == null ? Kind.DROP : Kind.ALTER;
        return new SchemaStep(on, kind, from, into);
    }

    /** Drops of dependants first, then tables (renamed, created, altered, dropped), then what depends on them. */
    private static int order(SchemaStep s) {
        SchemaObject d = s.into() != null ? s.into() : s.from();
        boolean table = d.isTable();
        if (s.kind() == Kind.DROP) {
            return table ? 3 : 0;
        }
        if (table) {
            return s.kind() == Kind.RENAME ? 1 : 2;
        }
        return d.type().equals("index") ? 4 : d.type().equals("view") ? 5 : 6;
    }

    /**
     * The application's schema number ({@code PRAGMA user_version}) both sides take, by the same three-way rule: the
     * side that changed it since the agreement; when both did (or nothing was agreed yet), the higher, since
     * migrations count up and the higher number went with the newer schema.
     */
    static long userVersion(long local, long hub, Long agreed) {
        if (local == hub) {
            return local;
        }
        if (agreed != null && local == agreed) {
            return hub;
        }
        if (agreed != null && hub == agreed) {
            return local;
        }
        return Math.max(local, hub);
    }

    static boolean same(SchemaObject x, SchemaObject y) {
        return x == null ? y == null : y != null && x.type().equals(y.type()) && Objects.equals(x.sql(), y.sql());
    }
}
