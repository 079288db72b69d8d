package io.sharemirror.sync;

/** Who follows a hub that moved: points this computer's configuration at the new place (the agent does). */
@FunctionalInterface
public interface HubMoves {

    /** For mirrors nobody follows: the moved hub's cycles fail with its message until the configuration changes. */
    HubMoves NOBODY = (database, moved) -> {
        throw moved;
    };

    /**
     * Makes {@code database} use the hub where {@code moved} says it is now, from its next cycle on.
     *
     * @throws StoreException when that cannot be done here (the configuration could not be written): the cycle fails
     *     with it, and the next finds the mark again and tries again
     */
    void follow(String database, HubMovedException moved);
}
