package io.sharemirror.sync;

/** Decides conflicts while the replica applies pulled changes, inside its transaction. */
@FunctionalInterface
public interface Resolver {
    Resolution resolve(RemoteChange remote, LocalChange local);
}
