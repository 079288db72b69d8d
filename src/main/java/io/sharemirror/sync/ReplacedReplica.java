package io.sharemirror.sync;

import java.util.List;

/**
 * A replica the store could no longer trust and replaced with a fresh copy of the hub
 * ({@link ReplicaFile#replaceIfUntrusted()}).
 *
 * @param problem what was wrong with it and where its file was kept, for the user
 * @param unpushed the writes read from it that had never reached the hub; the engine archives them
 * @param uncaptured its rows the hub lacks that were not pending either (capture never saw them); archived too
 * @param node the node id those writes were made under
 */
public record ReplacedReplica(String problem, List<LocalChange> unpushed, List<LocalChange> uncaptured, String node) {

    public ReplacedReplica {
        unpushed = List.copyOf(unpushed);
        uncaptured = List.copyOf(uncaptured);
    }
}
