package io.sharemirror.sync;

import java.util.List;

/**
 * What {@link MirrorStore#checkCapture()} found.
 *
 * @param schemaMoved the replica's schema changed since the last look (someone ran DDL on it)
 * @param repaired the tables whose capture was missing or wrong and is installed again
 */
public record CaptureRepair(boolean schemaMoved, List<String> repaired) {

    public CaptureRepair {
        repaired = List.copyOf(repaired);
    }
}
