package io.sharemirror.sync;

/** What applying one batch of pulled changes did to the replica. */
public record ApplyResult(int applied, int conflicts, int rekeyed) {

}
