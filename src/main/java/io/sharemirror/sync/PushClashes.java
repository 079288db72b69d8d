package io.sharemirror.sync;

import java.util.List;

/** What the planner made of a push's clashes: what to change here, and the clashes that wait. */
public record PushClashes(Plan plan, List<Clash> waiting) {

    public PushClashes {
        waiting = List.copyOf(waiting);
    }
}
