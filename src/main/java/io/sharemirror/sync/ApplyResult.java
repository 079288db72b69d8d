package io.sharemirror.sync;

/** What applying one batch of pulled changes did to the replica. */
public record ApplyResult(int applied, int conflicts, int rekeyed) {

    public static final ApplyResult NONE = new ApplyResult(0, 0, 0);

    public ApplyResult plus(ApplyResult other) {
        return new ApplyResult(applied + other.applied, conflicts + other.conflicts, rekeyed + other.rekeyed);
    }
}
