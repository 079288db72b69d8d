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

    @Test
    void aDesktopFindsTheMigrationsAnotherRanApplied() throws Exception {
        DjangoProject django = DjangoProject.create(dir.resolve("app"));
        try (Cluster cluster = Cluster.withSchema(dir)) {
            var a = desktop(cluster, django, "desktop_a");
            var b = desktop(cluster, django, "desktop_b");
            cluster.settle();
            ok(django.manage("desktop_a", "migrate", "--noinput"));
            Writes writes = new Writes(cluster);
            orm(django, "desktop_a", "s = Shelf.objects.create(name='hall', room='east')\n"
                    + "b = Book.objects.create(shelf=s, title='first', isbn='A-1')\n"
                    + "Loan.objects.create(book=b, borrower='ann')");
            writes.expect("shelf hall", "SELECT count(*) FROM shop_shelf WHERE name = 'hall' AND room = 'east'");
            writes.expect("book first", "SELECT count(*) FROM shop_book b JOIN shop_shelf s ON s.id = b.shelf_id"
                    + " WHERE b.title = 'first' AND b.isbn = 'A-1' AND s.name = 'hall'");
            writes.expect("loan ann", "SELECT count(*) FROM shop_loan l JOIN shop_book b ON b.id = l.book_id"
                    + " WHERE l.borrower = 'ann' AND b.title = 'first'");
            cluster.settle();

            String migrate = ok(django.manage("desktop_b", "migrate", "--noinput"));
            assertTrue(migrate.contains("No migrations to apply."), migrate);
            assertAtHead(django, "desktop_b");
            assertEquals("hall first ann", orm(django, "desktop_b",
                    "l = Loan.objects.select_related('book__shelf').get()\n"
                    + "print(l.book.shelf.name, l.book.title, l.borrower)"));
            cluster.settle();
            writes.publish("aDesktopFindsTheMigrationsAnotherRanApplied", List.of(a.replica(), b.replica()));
            cluster.assertConverged();
        }
    }

    private static Cluster.Node desktop(Cluster cluster, DjangoProject django, String settings) throws Exception {
        var node = cluster.add(ConflictPolicy.NEWEST_WINS);
        node.store().replica(); // the first copy, made as the agent makes it when it starts
        django.settings(settings, node.replica());
        return node;
    }

    /** The ORM's printed lines, after asserting it wrote without error. */
    private static String orm(DjangoProject django, String settings, String code) throws Exception {
        return ok(django.orm(settings, code));
    }

    /** {@code showmigrations} marks every migration applied, {@code migrate --check} and {@code check} are clean. */
    private static void assertAtHead(DjangoProject django, String settings) throws Exception {
        String shown = ok(django.manage(settings, "showmigrations"));
        assertFalse(shown.contains("[ ]"), shown);
        String shop = ok(django.manage(settings, "showmigrations", "shop"));
        assertEquals(DjangoProject.MIGRATIONS, shop.lines().filter(line -> line.contains("[X]")).count(), shop);
        ok(django.manage(settings, "migrate", "--check"));
        ok(django.manage(settings, "check"));
    }

    /** Every write a case made, each a query that counts 1 where the write is, checked on the hub and each replica. */
    private static final class Writes {
        private final Cluster cluster;
        private final Map<String, String> queries = new LinkedHashMap<>();

        Writes(Cluster cluster) {
            this.cluster = cluster;
        }

        void expect(String write, String query) {
            queries.put(write, query);
        }

        /** Publishes the figures, then asserts that no write is missing anywhere. */
        void publish(String test, List<Path> replicas) throws SQLException {
            List<String> missing = new ArrayList<>();
            List<Path> files = new ArrayList<>(List.of(cluster.hub));
            files.addAll(replicas);
            for (var write : queries.entrySet()) {
                for (Path file : files) {
                    if (!"1".equals(Cluster.scalar(file, write.getValue()))) {
                        missing.add(write.getKey() + " on " + file.getParent().getFileName());
                    }
                }
            }
            Figures.of("DjangoOnTwoDesktopsTest." + test).runs(1).writesChecked(queries.size() * files.size())
                    .writesLost(missing.size()).put("migrations", DjangoProject.MIGRATIONS).publish();
            assertEquals(List.of(), missing, "writes missing");
        }
    }
}
