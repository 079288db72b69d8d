package io.sharemirror.sync;

/** What one cycle moved, counted as it goes, for its history row. */
final class CycleCounts {
    int pushed;
    int pulled;
    int conflicts;
}
