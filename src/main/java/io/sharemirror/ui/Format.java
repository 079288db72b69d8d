package io.sharemirror.ui;

import io.sharemirror.status.Sizes;
import io.sharemirror.status.SyncState;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How times, durations, sizes and states read everywhere in the UI. */
final class Format {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private Format() {
    }

    static String state(SyncState state) {
        return switch (state) {
            case OK -> "In sync";
            case PENDING -> "Pending";
            case WAITING -> "Rows waiting";
            case FAILED -> "Sync failed";
            case OFFLINE -> "Offline";
        };
    }

    /** Today's times as 14:03:12, older ones with their date; "never" for none. */
    static String time(Instant at) {
        if (at == null) {
            return "never";
        }
        var local = at.atZone(ZoneId.systemDefault());
        return (local.toLocalDate().equals(LocalDate.now()) ? TIME : DATE_TIME).format(local);
    }

    /** "in 25 s", "now", or "—" when nothing is scheduled. */
    static String until(Instant at, Instant now) {
        if (at == null) {
            return "—";
        }
        long s = Duration.between(now, at).toSeconds();
        return s <= 0 ? "now" : s < 120 ? "in " + s + " s" : "in " + (s + 30) / 60 + " min";
    }

    static String duration(Duration d) {
        long ms = d.toMillis();
        return ms < 1000 ? ms + " ms" : String.format("%.1f s", ms / 1000.0);
    }

    /** Time left, roughly: "about 40 s left", "about 3 min left". */
    static String remaining(Duration d) {
        long s = Math.max(1, d.toSeconds());
        return "about " + (s < 90 ? s + " s" : (s + 30) / 60 + " min") + " left";
    }

    static String bytes(long n) {
        return Sizes.bytes(n);
    }

    static String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
