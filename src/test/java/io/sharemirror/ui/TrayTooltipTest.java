package io.sharemirror.ui;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.status.ClockSkew;
import io.sharemirror.status.DatabaseStatus;
import io.sharemirror.status.StatusSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The tray tooltip names a wrong clock, the worst of all databases, and only when it is off by more than 30 s. */
class TrayTooltipTest {

    private static DatabaseStatus db(String name, Duration ahead) {
        return DatabaseStatus.initial(name, true, "network share", "/mnt/s/" + name + ".db", "file share",
                "/c/" + name + ".db")
                .withClock(new ClockSkew(ahead, Duration.ofMillis(20)));
    }

    private static DatabaseStatus onPostgres(String name) {
        return DatabaseStatus.initial(name, true, "mirrored", "postgresql://db:5432/" + name,
                "PostgreSQL db:5432/" + name, "/c/" + name + ".db");
    }

    @Test
    void theKindsOfHubAreNamedUnlessAllAreFileShares() {
        String mixed = tooltip(new StatusSnapshot(List.of(onPostgres("sales"), db("a", Duration.ZERO),
                db("b", Duration.ZERO), onPostgres("stock"))));
        assertTrue(mixed.startsWith("ShareMirror: Pending · 4 databases (PostgreSQL db:5432/sales, file share,"
                + " PostgreSQL db:5432/stock) · 0 pending writes"), mixed);
        String shares = tooltip(new StatusSnapshot(List.of(db("a", Duration.ZERO))));
        assertTrue(shares.startsWith("ShareMirror: Pending · 1 database · 0 pending writes"), shares);
    }

    @Test
    void theWorstClockOverThirtySecondsIsInTheTooltip() {
        String tip = tooltip(new StatusSnapshot(List.of(db("a", Duration.ofSeconds(40)),
                db("b", Duration.ofMinutes(-59)))));
        assertTrue(tip.endsWith(" · This computer's clock is 59 min behind the file server"), tip);
        assertFalse(tooltip(new StatusSnapshot(List.of(db("a", Duration.ofSeconds(29))))).contains("clock"));
    }

    private static String tooltip(StatusSnapshot status) {
        return new TrayLook(status, Optional.empty(), 0).tooltip();
    }
}
