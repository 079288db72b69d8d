package io.sharemirror.sync;

/**
 * Told how a copy of the hub into a new replica advances, on the thread that copies; it may stop the copy (Cancel in
 * the dashboard's progress window).
 */
public interface CloneProgress {

    /** Nobody watches: the copy runs as one step. */
    CloneProgress NONE = (copied, total) -> true;

    /**
     * After each part of the copy.
     *
     * @return false to stop the copy: it then fails as cancelled, and nothing of it is kept
     */
    boolean copying(long bytesCopied, long bytesTotal);

    /** The copy is complete and checked: this many rows in this many mirrored tables. */
    default void copied(long rows, int tables) {
    }
}
