package io.sharemirror.sync;

/** The hub's log head and schema cookie, read in one small transaction: the idle check. */
public record HubProbe(long head, long schemaVersion) {
}
