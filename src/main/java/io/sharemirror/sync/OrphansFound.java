package io.sharemirror.sync;

import java.util.List;

/** Applying a plan would leave rows pointing at rows that are gone ({@link Orphan}); nothing was written. */
public final class OrphansFound extends StoreException {

    private final List<Orphan> orphans;

    public OrphansFound(List<Orphan> orphans) {
        super(Kind.CONSTRAINT, orphans.size() + " rows would point at rows that are gone", null, null);
        this.orphans = List.copyOf(orphans);
    }

    public List<Orphan> orphans() {
        return orphans;
    }
}
