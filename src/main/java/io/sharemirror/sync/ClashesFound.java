package io.sharemirror.sync;

import java.util.List;

/**
 * Writing rows broke constraints there (other rows hold their UNIQUE values, or a CHECK or NOT NULL the source did not
 * have): nothing was written; the engine decides each clash and plans again.
 */
public final class ClashesFound extends StoreException {

    private final List<Clash> clashes;

    public ClashesFound(List<Clash> clashes) {
        super(Kind.CONSTRAINT, clashes.size() + " rows break constraints", null, null);
        this.clashes = List.copyOf(clashes);
    }

    public List<Clash> clashes() {
        return clashes;
    }
}
