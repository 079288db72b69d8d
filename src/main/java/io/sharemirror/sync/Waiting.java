package io.sharemirror.sync;

import java.time.Instant;

/**
 * A change that waits because writing it breaks a constraint where it goes: a change from the hub not applied here,
 * or one of ours not pushed. It is tried again on every cycle that moves data; the rest syncs meanwhile.
 *
 * @param fromHub the change comes from the hub (else it is ours, waiting to be pushed)
 * @param seq the hub change's log position (0 for ours)
 * @param ts the hub change's stamp (0 for ours)
 * @param origin who made the hub change ("" for a direct writer; null for ours)
 * @param since when it first had to wait
 */
public record Waiting(Key key, boolean fromHub, long seq, long ts, String origin, Clash clash, Instant since) {

    /** For people: which row waits, for what, held by which other row. */
    public String describe() {
        return key.table() + " " + key.pk() + (fromHub ? " (from the hub)" : " (made here)") + " breaks "
                + clash.constraint() + (clash.values().isEmpty() ? "" : " with " + clash.values())
                + (clash.other() == null ? "" : ", which " + clash.other().table() + " " + clash.other().pk()
                + (fromHub ? " here" : " on the hub") + " holds");
    }
}
