package io.sharemirror.share;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.store.Cluster;
import io.sharemirror.sync.CycleRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the cost tests count on a FaultFs share, round after round: one desktop edits and pushes, the other pulls; the
 * share operations of each, as medians.
 *
 * @param push the median share operations of the writing desktop's cycle
 * @param pull the median share operations of the other desktop's next cycle
 */
record ShareRounds(long push, long pull) {

    /** What a round changes on the writing desktop before it syncs. */
    interface Edit {
        void round(int i) throws Exception;
    }

    /** Runs rounds 1 to {@code rounds}: {@code edit}, then {@code writer}'s cycle, then {@code reader}'s. */
    static ShareRounds measure(FaultFs share, Cluster.Node writer, Cluster.Node reader, int rounds, Edit edit)
            throws Exception {
        List<Long> pushes = new ArrayList<>();
        List<Long> pulls = new ArrayList<>();
        for (int i = 1; i <= rounds; i++) {
            edit.round(i);
            pushes.add(counted(share, writer));
            pulls.add(counted(share, reader));
        }
        return new ShareRounds(median(pushes), median(pulls));
    }

    private static long counted(FaultFs share, Cluster.Node node) {
        share.faults().resetCounts();
        CycleRecord r = node.sync();
        assertTrue(r.succeeded(), r::toString);
        return share.faults().total();
    }

    static <T extends Comparable<T>> T median(List<T> values) {
        List<T> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
