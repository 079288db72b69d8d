package io.sharemirror.store;

import static io.sharemirror.store.DjangoProject.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.Figures;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Django (3.2, Debian's python3-django) as its users run it: a project from {@code startproject}, the settings'
 * {@code DATABASES} NAME set to the replica's path and nothing else changed, {@code manage.py migrate} at each
 * release and the ORM for every write. Its migrations are {@code makemigrations}'s; release 2 and 3 rebuild tables
 * (Django's {@code _remake_table}) and add a model, whose content type and permissions {@code migrate} inserts.
 */
class DjangoOnTwoDesktopsTest {

    @TempDir
    Path dir;

    /** The application at each release, oldest first; {@link #latest} is the one every desktop ends at. */
    List<DjangoProject> releases;
    DjangoProject latest;

    @BeforeEach
    void makeTheProject() throws Exception {
        releases = DjangoProject.releases(dir.resolve("app"));
        latest = releases.get(releases.size() - 1);
    }

    @Test
    void aDesktopFindsTheMigrationsAnotherRanApplied() throws Exception {
        DjangoProject django = latest;
        try (Cluster cluster = newCluster()) {
            List<Cluster.Node> desktops = twoDesktops(cluster, django);
            var a = desktops.get(0);
            var b = desktops.get(1);
            Writes writes = new Writes(cluster, getClass().getSimpleName());
            orm(django, "desktop_a", "s = Shelf.objects.create(name='hall', room='east')\n"
                    + "b = Book.objects.create(shelf=s, title='first', isbn='A-1')\n"
                    + "Loan.objects.create(book=b, borrower='ann')");
            writes.expect("shelf hall", shelfIn("hall", "east"));
            writes.expect("book first", bookOn("first", "A-1", "hall"));
            writes.expect("loan ann", loanOf("ann", "first"));
            cluster.settle();

            String migrate = ok(django.manage("desktop_b", "migrate", "--noinput"));
            assertTrue(migrate.contains("No migrations to apply."), migrate);
            assertAtHead(django, "desktop_b");
            assertEquals("hall first ann", orm(django, "desktop_b",
                    "l = Loan.objects.select_related('book__shelf').get()\n"
                    + "print(l.book.shelf.name, l.book.title, l.borrower)"));
            cluster.settle();
            writes.publish("aDesktopFindsTheMigrationsAnotherRanApplied", List.of(a.replica(), b.replica()), Map.of());
            cluster.assertConverged();
        }
    }

    @Test
    void twoDesktopsUpgradedApartAgreeAndLoseNoWrite() throws Exception {
        DjangoProject first = releases.get(0);
        DjangoProject django = latest;
        try (Cluster cluster = newCluster()) {
            List<Cluster.Node> desktops = twoDesktops(cluster, first);
            var a = desktops.get(0);
            var b = desktops.get(1);
            orm(first, "desktop_a", "hall = Shelf.objects.create(name='hall')\n"
                    + "Book.objects.create(shelf=hall, title='old')");
            cluster.settle();

            for (String desktop : List.of("desktop_a", "desktop_b")) {
                String migrate = ok(django.manage(desktop, "migrate", "--noinput"));
                assertTrue(migrate.contains("Applying shop.0003"), migrate);
            }
            orm(django, "desktop_a", "annex = Shelf.objects.create(name='annex', room='north')\n"
                    + "Book.objects.create(shelf=annex, title='a new', isbn='A-1', note='by a')\n"
                    + "Loan.objects.create(book=Book.objects.get(title='old'), borrower='ann')\n"
                    + "Book.objects.filter(title='old').update(note='read by a')");
            orm(django, "desktop_b", "cellar = Shelf.objects.create(name='cellar', room='down')\n"
                    + "bn = Book.objects.create(shelf=cellar, title='b new', isbn='B-1')\n"
                    + "Book.objects.create(shelf=Shelf.objects.get(name='hall'), title='b in hall', isbn='B-2')\n"
                    + "Loan.objects.create(book=bn, borrower='bob')");
            Writes writes = new Writes(cluster, getClass().getSimpleName());
            writes.expect("shelf hall", shelfIn("hall", "main"));
            writes.expect("book old, noted by a", "SELECT count(*) FROM shop_book WHERE title = 'old'"
                    + " AND note = 'read by a' AND shelf_id = (SELECT id FROM shop_shelf WHERE name = 'hall')");
            writes.expect("shelf annex", shelfIn("annex", "north"));
            writes.expect("shelf cellar", shelfIn("cellar", "down"));
            writes.expect("book a new", bookOn("a new", "A-1", "annex"));
            writes.expect("book b new", bookOn("b new", "B-1", "cellar"));
            writes.expect("book b in hall", bookOn("b in hall", "B-2", "hall"));
            writes.expect("loan ann", loanOf("ann", "old"));
            writes.expect("loan bob", loanOf("bob", "b new"));
            cluster.settle();
            cluster.settle();

            // Both desktops recorded release 2 and 3 under the same counter values: the second desktop's rows moved to
            // free keys, so each of those migrations is recorded twice, which Django reads as applied once.
            Path hub = cluster.hubCopy();
            String twice = Cluster.scalar(hub, "SELECT group_concat(app || '.' || name, ' ') FROM (SELECT app,"
                    + " name FROM django_migrations GROUP BY app, name HAVING count(*) = 2 ORDER BY name)");
            String rows = Cluster.scalar(hub, "SELECT count(*) FROM django_migrations");
            writes.publish("twoDesktopsUpgradedApartAgreeAndLoseNoWrite", List.of(a.replica(), b.replica()),
                    Map.of("django_migrations_rows", rows));
            assertTrue(twice != null && twice.matches("shop\\.0002_\\S+ shop\\.0003_\\S+"), twice);
            assertEquals(List.of(), b.conflicts().stream().map(Object::toString).toList(), "archived on b");
            cluster.assertConverged();
            assertEquals(SchemaChangeMatrixTest.schema(hub), SchemaChangeMatrixTest.schema(a.replica()));
            assertEquals(SchemaChangeMatrixTest.schema(hub), SchemaChangeMatrixTest.schema(b.replica()));
            for (String desktop : List.of("desktop_a", "desktop_b")) {
                assertAtHead(django, desktop);
            }

            desktop(cluster, "desktop_c");
            String third = ok(django.manage("desktop_c", "migrate", "--noinput"));
            assertTrue(third.contains("No migrations to apply."), third);
            assertAtHead(django, "desktop_c");
        }
    }

    /**
     * Issue 17, what a team moving to PostgreSQL tries: A runs the releases' migrations while B, still at release 1,
     * keeps writing through the ORM and syncing; then both sync. Fails the same on both hubs, so not the PostgreSQL
     * hub's: see the reason.
     */
    @Disabled("B's books 'b 1' and 'b 3' (note NULL), on the hub under release 1 while A migrated, are archived on A"
            + " (winner=discarded: 'was on the hub under its old definition and does not fit the new one', note text"
            + " NOT NULL) and gone from the hub and both replicas; 'old' (note NULL) too, until B's later update wins."
            + " Django's _remake_table fills note with coalesce(note, '') on A's rows only; the hub's replay of the"
            + " rebuild copies the hub's rows without that data step, so rows A never saw are refused")
    @Test
    void migrationsOnADesktopWhileAnotherWritesThroughTheOrmAgreeAndLoseNoWrite() throws Exception {
        DjangoProject first = releases.get(0);
        try (Cluster cluster = newCluster()) {
            List<Cluster.Node> desktops = twoDesktops(cluster, first);
            var a = desktops.get(0);
            var b = desktops.get(1);
            orm(first, "desktop_a", "hall = Shelf.objects.create(name='hall')\n"
                    + "Book.objects.create(shelf=hall, title='old')");
            cluster.settle();

            CompletableFuture<String> migrating = CompletableFuture.supplyAsync(() -> migrate(latest, "desktop_a"));
            for (int i = 1; i <= 3; i++) { // each write reaches the hub while A may still be migrating
                orm(first, "desktop_b", "Book.objects.create(shelf=Shelf.objects.get(name='hall'), title='b " + i
                        + "'" + (i == 2 ? ", note='noted by b'" : "") + ")");
                Cluster.assertSynced(b.sync());
            }
            String migrate = migrating.join();
            assertTrue(migrate.contains("Applying shop.0003"), migrate);
            orm(first, "desktop_b", "Book.objects.filter(title='old').update(note='read on b')");
            cluster.settle();
            orm(latest, "desktop_a", "Loan.objects.create(book=Book.objects.get(title='b 1'), borrower='ann')");
            cluster.settle();

            Writes writes = new Writes(cluster, getClass().getSimpleName());
            writes.expect("shelf hall", shelfIn("hall", "main"));
            writes.expect("book old, read on b", "SELECT count(*) FROM shop_book WHERE title = 'old'"
                    + " AND note = 'read on b'");
            writes.expect("book b 1, note ''", "SELECT count(*) FROM shop_book WHERE title = 'b 1' AND note = ''");
            writes.expect("book b 2, noted", "SELECT count(*) FROM shop_book WHERE title = 'b 2'"
                    + " AND note = 'noted by b'");
            writes.expect("book b 3, note ''", "SELECT count(*) FROM shop_book WHERE title = 'b 3' AND note = ''");
            writes.expect("loan ann", loanOf("ann", "b 1"));
            writes.publish("migrationsOnADesktopWhileAnotherWritesThroughTheOrmAgreeAndLoseNoWrite",
                    List.of(a.replica(), b.replica()), Map.of());
            assertEquals(List.of(), b.conflicts().stream().map(Object::toString).toList(), "archived on b");
            cluster.assertConverged();
            String onB = ok(latest.manage("desktop_b", "migrate", "--noinput"));
            assertTrue(onB.contains("No migrations to apply."), onB);
            for (String desktop : List.of("desktop_a", "desktop_b")) {
                assertAtHead(latest, desktop);
            }
        }
    }

    private static String migrate(DjangoProject django, String settings) {
        try {
            return ok(django.manage(settings, "migrate", "--noinput"));
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    /** File hub only: Django opens the share's file itself, which a PostgreSQL hub has no counterpart of. */
    @Test
    void djangoOnTheShareItselfAndTwoDesktopsConverge() throws Exception {
        DjangoProject django = latest;
        try (Cluster cluster = newCluster()) {
            var a = desktop(cluster, "desktop_a");
            ok(django.manage("desktop_a", "migrate", "--noinput"));
            orm(django, "desktop_a", "Shelf.objects.create(name='hall')");
            cluster.settle();
            var b = desktop(cluster, "desktop_b");
            django.settings("on_the_share", cluster.hub); // someone who never installed ShareMirror
            assertAtHead(django, "on_the_share");

            orm(django, "on_the_share", "office = Shelf.objects.create(name='office', room='upstairs')\n"
                    + "Book.objects.create(shelf=office, title='direct', isbn='D-1')\n"
                    + "Book.objects.create(shelf=Shelf.objects.get(name='hall'), title='direct in hall', isbn='D-2')");
            orm(django, "desktop_a", "den = Shelf.objects.create(name='den')\n"
                    + "Book.objects.create(shelf=den, title='a in den', isbn='A-1')");
            orm(django, "desktop_b", "hall = Shelf.objects.get(name='hall')\n"
                    + "b = Book.objects.create(shelf=hall, title='b in hall', isbn='B-1')\n"
                    + "Loan.objects.create(book=b, borrower='bob')\n"
                    + "Shelf.objects.filter(name='hall').update(room='west')");
            orm(django, "on_the_share", "Loan.objects.create(book=Book.objects.get(title='direct'), borrower='dee')");
            cluster.settle();
            cluster.settle();

            Writes writes = new Writes(cluster, getClass().getSimpleName());
            writes.expect("shelf hall, moved west by b", shelfIn("hall", "west"));
            writes.expect("shelf office", shelfIn("office", "upstairs"));
            writes.expect("shelf den", shelfIn("den", "main"));
            writes.expect("book direct", bookOn("direct", "D-1", "office"));
            writes.expect("book direct in hall", bookOn("direct in hall", "D-2", "hall"));
            writes.expect("book a in den", bookOn("a in den", "A-1", "den"));
            writes.expect("book b in hall", bookOn("b in hall", "B-1", "hall"));
            writes.expect("loan bob", loanOf("bob", "b in hall"));
            writes.expect("loan dee", loanOf("dee", "direct"));
            writes.publish("djangoOnTheShareItselfAndTwoDesktopsConverge", List.of(a.replica(), b.replica()),
                    Map.of());
            cluster.assertConverged();
            for (String desktop : List.of("desktop_a", "desktop_b", "on_the_share")) {
                assertAtHead(django, desktop);
            }
        }
    }

    /** Desktops on a new, empty hub: here a file on the share. */
    Cluster newCluster() throws Exception {
        return Cluster.withSchema(dir);
    }

    static String shelfIn(String name, String room) {
        return "SELECT count(*) FROM shop_shelf WHERE name = " + Sql.literal(name) + " AND room = " + Sql.literal(room);
    }

    static String bookOn(String title, String isbn, String shelf) {
        return "SELECT count(*) FROM shop_book b JOIN shop_shelf s ON s.id = b.shelf_id WHERE b.title = "
                + Sql.literal(title) + " AND b.isbn = " + Sql.literal(isbn) + " AND s.name = " + Sql.literal(shelf);
    }

    static String loanOf(String borrower, String title) {
        return "SELECT count(*) FROM shop_loan l JOIN shop_book b ON b.id = l.book_id WHERE l.borrower = "
                + Sql.literal(borrower) + " AND b.title = " + Sql.literal(title);
    }

    /**
     * Desktops A and B, in sync, each with its first copy and every release of the application set up on it; then A
     * runs {@code release}'s {@code migrate} (B has not synced it yet).
     */
    List<Cluster.Node> twoDesktops(Cluster cluster, DjangoProject release) throws Exception {
        List<Cluster.Node> both = List.of(desktop(cluster, "desktop_a"), desktop(cluster, "desktop_b"));
        cluster.settle();
        ok(release.manage("desktop_a", "migrate", "--noinput"));
        return both;
    }

    /** A new desktop whose every release of the application is set up on its replica. */
    Cluster.Node desktop(Cluster cluster, String settings) throws Exception {
        var node = cluster.add(ConflictPolicy.NEWEST_WINS);
        node.store().replica(); // the first copy, made as the agent makes it when it starts
        for (DjangoProject release : releases) {
            release.settings(settings, node.replica());
        }
        return node;
    }

    /** The ORM's printed lines, after asserting it wrote without error. */
    static String orm(DjangoProject django, String settings, String code) throws Exception {
        return ok(django.orm(settings, code));
    }

    /** {@code showmigrations} marks every migration applied, {@code migrate --check} and {@code check} are clean. */
    static void assertAtHead(DjangoProject django, String settings) throws Exception {
        String shown = ok(django.manage(settings, "showmigrations"));
        assertFalse(shown.contains("[ ]"), shown);
        String shop = ok(django.manage(settings, "showmigrations", "shop"));
        assertEquals(DjangoProject.MIGRATIONS, shop.lines().filter(line -> line.contains("[X]")).count(), shop);
        ok(django.manage(settings, "migrate", "--check"));
        ok(django.manage(settings, "check"));
    }

    /** Every write a case made, each a query that counts 1 where the write is, checked on the hub and each replica. */
    static final class Writes {
        private final Cluster cluster;
        private final String suite;
        private final Map<String, String> queries = new LinkedHashMap<>();

        Writes(Cluster cluster, String suite) {
            this.cluster = cluster;
            this.suite = suite;
        }

        void expect(String write, String query) {
            queries.put(write, query);
        }

        /** Publishes the figures, then asserts that no write is missing anywhere. */
        void publish(String test, List<Path> replicas, Map<String, Object> more) throws SQLException {
            List<String> missing = new ArrayList<>();
            List<Path> files = new ArrayList<>(List.of(cluster.hubCopy()));
            files.addAll(replicas);
            for (var write : queries.entrySet()) {
                for (Path file : files) {
                    if (!"1".equals(Cluster.scalar(file, write.getValue()))) {
                        missing.add(write.getKey() + " on " + file.getParent().getFileName());
                    }
                }
            }
            Figures figures = Figures.of(suite + "." + test).runs(1)
                    .writesChecked(queries.size() * files.size()).writesLost(missing.size())
                    .put("migrations", DjangoProject.MIGRATIONS);
            more.forEach(figures::put);
            figures.publish();
            assertEquals(List.of(), missing, "writes missing");
        }
    }
}
