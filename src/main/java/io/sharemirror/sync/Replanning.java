package io.sharemirror.sync;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Applies a plan to the replica, and plans again with what the attempt met there, until one holds. The planner reads
 * the replica outside its write transaction, so an application may write one of the keys meanwhile: then the plan is
 * refused whole and made again from what is there now. A plan whose rows break constraints here, or leave rows
 * pointing at rows that are gone, is refused whole too, and made again knowing what each met, for the planner to
 * decide.
 */
final class Replanning {

    /**
     * Plans made for one batch before giving up: on an application that keeps writing its keys (busy), or on rows whose
     * settling breaks constraints in turn.
     */
    static final int ATTEMPTS = 8;

    private Replanning() {
    }

    /** Returns the plan that was applied; {@code planning} makes a plan from what the attempts so far met. */
    static Plan apply(Replica replica, long upTo, Journal journal, Function<Found, Plan> planning) {
        Found found = Found.NOTHING;
        for (int attempt = 1; ; attempt++) {
            Plan plan = planning.apply(found);
            try {
                replica.apply(plan, upTo, journal);
                return plan;
            } catch (ClashesFound e) {
                found = found.and(e.clashes(), List.of());
                giveUpAfter(attempt, e);
            } catch (OrphansFound e) {
                found = found.and(List.of(), e.orphans());
                giveUpAfter(attempt, e);
            } catch (PlanOutdatedException e) {
                giveUpAfter(attempt, e);
            }
        }
    }

    /** The keys a plan of {@code keys} must read the pending changes of: those, and the rows the attempts met. */
    static Set<Key> involved(Collection<Key> keys, Found found) {
        Set<Key> all = new HashSet<>(keys);
        found.clashes().values().stream().map(Clash::other).filter(Objects::nonNull).forEach(all::add);
        found.orphans().forEach(o -> {
            all.add(o.child());
            all.add(o.parent());
        });
        return all;
    }

    private static void giveUpAfter(int attempt, StoreException e) {
        if (attempt == ATTEMPTS) {
            throw e;
        }
    }
}
