package io.sharemirror.sync;

import java.util.List;

/**
 * What {@link Capture#check()} found.
 *
 * @param schemaMoved the replica's application schema differs from the one it last agreed on with the hub (someone
 *     ran DDL on it): a schema check is due
 * @param repaired the tables whose capture was missing or wrong and is installed again
 */
public record CaptureRepair(boolean schemaMoved, List<String> repaired) {

    public CaptureRepair {
        repaired = List.copyOf(repaired);
    }
}
