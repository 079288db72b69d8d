package io.sharemirror.sync;

/**
 * The hub was moved elsewhere ({@code sharemirror move-hub}) and its old place refuses every write: the cycle stops
 * before it pushes anything, and the mirror's {@link HubMoves} follows the hub to its new place. Nothing is pulled from
 * the old place first: everything it holds past any cursor is on the new hub under the same log numbers
 * (ARCHITECTURE.md#moving-a-hub), so the replica's cursor and queue carry over as they are.
 */
public final class HubMovedException extends StoreException {

    private final String url;

    /**
     * @param url where the hub is now, as the configuration names it
     * @param where the same for people ({@code PostgreSQL db.example.com:5432/app})
     */
    public HubMovedException(String url, String where) {
        super(Kind.FAILED, "moved to " + where, "the database's path in config.yaml must name the new hub"
                + " (ShareMirror's agent writes it there by itself); local writes stay queued until then", null);
        this.url = url;
    }

    /** Where the hub is now, as a database's {@code path} names it. */
    public String url() {
        return url;
    }
}
