package io.sharemirror.sync;

import java.util.List;

/**
 * What a push transaction wrote, and our rows it could not write because they break a constraint on the hub (another
 * row holds their UNIQUE values there, or a CHECK or NOT NULL the replica does not have): those stay pending.
 */
public record Pushed(List<LocalChange> written, List<Clash> clashes) {

    public Pushed {
        written = List.copyOf(written);
        clashes = List.copyOf(clashes);
    }
}
