package io.sharemirror.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sharemirror.status.Notices.Kind;
import io.sharemirror.status.Notices.Notice;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NoticesTest {

    private Instant now = Instant.parse("2026-11-23T10:00:00Z");
    private final Notices notices = new Notices(() -> now, Duration.ofMinutes(5));
    private DatabaseStatus db = DatabaseStatus.initial("orders", true, "network share", "/mnt/s/orders.db", "file share",
            "/c/orders.db");

    private List<Kind> kinds(DatabaseStatus next) {
        db = next;
        return notices.next(new StatusSnapshot(List.of(next))).stream().map(Notice::kind).toList();
    }

    @Test
    void tellsOfflineFailedRecoveredAndConflicts() {
        assertEquals(List.of(), kinds(db));
        assertEquals(List.of(Kind.OFFLINE), kinds(db.failed(SyncState.OFFLINE, 3, now, "share gone", null)));
        assertEquals(List.of(), kinds(db.withPending(4)), "still offline: nothing new to say");
        assertEquals(List.of(Kind.RECOVERED), kinds(db.succeeded(now, 0, now)));
        now = now.plus(Duration.ofMinutes(6));
        assertEquals(List.of(Kind.FAILED), kinds(db.failed(SyncState.FAILED, 0, now, "database disk image is malformed",
                "run Clear Cache")));
        assertEquals(List.of(Kind.RECOVERED, Kind.CONFLICTS), kinds(db.succeeded(now, 0, now).withMoreConflicts(2)));
        assertEquals(List.of(), kinds(db.succeeded(now, 0, now)));
    }

    /**
     * Rows that wait for a person never read as in sync: the state stays WAITING (yellow) after every successful cycle
     * until none waits, and more rows waiting is news, told with the first of them and the ways out.
     */
    @Test
    void rowsThatWaitKeepTheStateOffInSyncAndMoreOfThemAreTold() {
        String first = "supplier [10] (made here) breaks UNIQUE index code with code = 'NEW'";
        Notice told = notices.next(new StatusSnapshot(List.of(db = db.withWaiting(1, first)))).get(0);
        assertEquals(Kind.WAITING, told.kind());
        assertEquals("orders: a row waits for you", told.title());
        assertEquals(first + ".\nEverything else syncs. In the dashboard's Waiting tab: keep mine, keep theirs, or keep"
                + " both under another value.", told.text());
        assertEquals(SyncState.WAITING, db.succeeded(now, 0, now).state(), "a cycle that succeeded is not in sync");
        assertEquals(SyncState.WAITING, db.withSyncing(true).state());
        assertEquals(SyncState.OFFLINE, db.failed(SyncState.OFFLINE, 0, now, "gone", null).withWaiting(1, first)
                .state(), "an unreachable share outranks it");
        assertEquals(List.of(), kinds(db.succeeded(now, 0, now)), "the same row waits: nothing new to say");
        now = now.plus(Duration.ofMinutes(6));
        assertEquals(List.of(Kind.WAITING), kinds(db.withWaiting(2, first)));
        assertEquals(List.of(), kinds(db.withWaiting(0, null)), "fewer: nothing to tell");
        assertEquals(SyncState.OK, db.state());
    }

    /** A database whose hub moved is restarted by the agent on the new hub: the same name, another hub. */
    @Test
    void aHubThatMovedIsToldOnceWithWhereItIsNow() {
        assertEquals(List.of(), kinds(db.succeeded(now, 0, now)));
        String url = "postgresql://team@db.example.com:5432/orders";
        Notice told = notices.next(new StatusSnapshot(List.of(db = DatabaseStatus.initial("orders", true,
                "a PostgreSQL server", url, "PostgreSQL db.example.com:5432/orders", "/c/orders.db")
                .withPending(2)))).get(0);
        assertEquals(Kind.MOVED, told.kind());
        assertEquals("orders moved to PostgreSQL db.example.com:5432/orders", told.title());
        assertEquals("Its hub is " + url + " now, and local writes go there (2 pending); /mnt/s/orders.db is no"
                + " longer synced.", told.text());
        assertEquals(List.of(), kinds(db.succeeded(now, 0, now)), "told once");
    }

    @Test
    void aFlappingShareIsToldOncePerQuietPeriod() {
        kinds(db.failed(SyncState.OFFLINE, 0, now, "gone", null));
        kinds(db.succeeded(now, 0, now));
        now = now.plusSeconds(60);
        assertEquals(List.of(), kinds(db.failed(SyncState.OFFLINE, 0, now, "gone", null)));
        assertEquals(List.of(), kinds(db.succeeded(now, 0, now)));
        now = now.plusSeconds(300);
        assertEquals(List.of(Kind.OFFLINE), kinds(db.failed(SyncState.OFFLINE, 0, now, "gone", null)));
    }

    @Test
    void aWrongClockIsToldOnceWhenItGoesOverThirtySeconds() {
        ClockSkew hourAhead = new ClockSkew(Duration.ofMinutes(59), Duration.ofMillis(20));
        assertEquals(List.of(), kinds(db.withClock(new ClockSkew(Duration.ofSeconds(29), Duration.ofMillis(20)))));
        Notice told = notices.next(new StatusSnapshot(List.of(db.withClock(hourAhead)))).get(0);
        assertEquals(Kind.CLOCK, told.kind());
        assertEquals("This computer's clock is 59 min ahead of the file server.\n" + ClockSkew.HINT + ".", told.text());
        db = db.withClock(hourAhead);
        assertEquals(List.of(), kinds(db.withPending(2)), "still wrong: nothing new to say");
        assertEquals(List.of(), kinds(db.withClock(new ClockSkew(Duration.ZERO, Duration.ofMillis(5)))));
        assertEquals(List.of(), kinds(db.withClock(hourAhead)), "fixed and wrong again within five minutes: once");
        now = now.plus(Duration.ofMinutes(5));
        kinds(db.withClock(new ClockSkew(Duration.ZERO, Duration.ofMillis(5))));
        assertEquals(List.of(Kind.CLOCK), kinds(db.withClock(new ClockSkew(Duration.ofHours(-1), Duration.ZERO))));
    }

    @Test
    void skewsReadAsPeopleSayThem() {
        assertEquals("This computer's clock is within 12 ms of the file server",
                new ClockSkew(Duration.ofMillis(-9), Duration.ofMillis(12)).describe());
        assertEquals("This computer's clock is 5 s behind the file server",
                new ClockSkew(Duration.ofMillis(-4_980), Duration.ofMillis(12)).describe());
        assertEquals("This computer's clock is 1 h 5 min ahead of the file server",
                new ClockSkew(Duration.ofMinutes(65), Duration.ZERO).describe());
        assertEquals("This computer's clock is 24 h ahead of the file server",
                new ClockSkew(Duration.ofDays(1), Duration.ZERO).describe());
        assertEquals("This computer's clock is 3 days behind the file server",
                new ClockSkew(Duration.ofDays(-3), Duration.ZERO).describe());
    }

    @Test
    void directDatabasesAreNeverTold() {
        DatabaseStatus direct = DatabaseStatus.initial("local", false, "local disk", "/data/local.db", "file share",
                null);
        assertEquals(List.of(), notices.next(new StatusSnapshot(List.of(direct.failed(SyncState.OFFLINE, 0, now, "x", null))))
                .stream().map(Notice::kind).toList());
    }
}
