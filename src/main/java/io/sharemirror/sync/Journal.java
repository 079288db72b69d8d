package io.sharemirror.sync;

/** Where the engine records what it did: sync history and the conflict archive (state.db). */
public interface Journal {

    void recordCycle(CycleRecord cycle);

    /** Must be durable when it returns: the loser is archived before the winner replaces it. */
    void archive(ConflictRecord conflict);

    /** A row made here moved to another key (not a conflict: both rows live), for the history. */
    void renumbered(Renumbering renumbering);
}
