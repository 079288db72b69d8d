package io.sharemirror.sync;

/** What to do with a key that changed on the hub while it was pending locally. */
public sealed interface Resolution {

    /** Apply the hub's version locally and drop the local change. */
    record TakeRemote() implements Resolution {
    }

    /** Keep the local version; it is pushed and overwrites the hub. */
    record KeepLocal() implements Resolution {
    }

    /** Both sides created the same integer key: move the local row to a fresh key, then apply the hub's row. */
    record Rekey(long atLeast) implements Resolution {
    }

    Resolution TAKE_REMOTE = new TakeRemote();
    Resolution KEEP_LOCAL = new KeepLocal();
}
