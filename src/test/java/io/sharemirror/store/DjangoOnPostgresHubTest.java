package io.sharemirror.store;

import static io.sharemirror.store.DjangoProject.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 17: {@link DjangoOnTwoDesktopsTest}'s cases with the hub moved to PostgreSQL (the replicas, the driver and
 * Django stay as they are), and what a team moving there would try: migrating one desktop while another keeps writing.
 */
class DjangoOnPostgresHubTest extends DjangoOnTwoDesktopsTest {

    @RegisterExtension
    static final PostgresHub postgres = new PostgresHub();

    @Override
    Cluster newCluster() throws Exception {
        return postgres.cluster(dir);
    }

    /** File hub only (not a test here): there is no share file for Django to open on a PostgreSQL hub. */
    @Override
    void djangoOnTheShareItselfAndTwoDesktopsConverge() {
    }

    /** What a PostgreSQL client such as psql sees of Django's tables once desktops put them on the hub. */
    @Test
    void aPostgresClientReadsDjangosTablesAndRows() throws Exception {
        try (Cluster cluster = newCluster()) {
            twoDesktops(cluster, latest);
            orm(latest, "desktop_a", "s = Shelf.objects.create(name='hall', room='east')\n"
                    + "Book.objects.create(shelf=s, title='first', isbn='A-1', note='n')");
            cluster.settle();
            // Django's types by affinity (varchar(n) without its length, datetime as text); NOT NULL only on keys
            assertEquals("django_migrations.id bigint NO, django_migrations.app text YES, django_migrations.name text"
                    + " YES, django_migrations.applied text YES, shop_book.id bigint NO, shop_book.title text YES,"
                    + " shop_book.shelf_id bigint YES, shop_book.isbn text YES, shop_book.note text YES, shop_loan.id"
                    + " bigint NO, shop_loan.borrower text YES, shop_loan.book_id bigint YES, shop_shelf.id bigint NO,"
                    + " shop_shelf.name text YES, shop_shelf.room text YES", postgres.scalar("SELECT string_agg("
                    + "table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable, ', ' ORDER BY"
                    + " table_name, ordinal_position) FROM information_schema.columns WHERE table_schema = 'public'"
                    + " AND (table_name LIKE 'shop%' OR table_name = 'django_migrations')"));
            // Django's UNIQUE fields are PostgreSQL unique indexes; its foreign keys and NOT NULLs are not there
            assertEquals("shop_book(id) shop_book(isbn) shop_loan(id) shop_shelf(id) shop_shelf(name)",
                    postgres.scalar("SELECT string_agg(tablename || substring(indexdef from '\\(.*\\)'), ' ' ORDER"
                    + " BY tablename, indexdef LIKE '%(id)' DESC, indexdef) FROM pg_indexes WHERE tablename LIKE"
                    + " 'shop%' AND indexdef LIKE 'CREATE UNIQUE INDEX%'"));
            assertEquals(null, postgres.scalar("SELECT string_agg(conname, ', ') FROM pg_constraint WHERE"
                    + " conrelid::regclass::text LIKE 'shop%'"));
            assertEquals("first/A-1/hall/east", postgres.scalar("SELECT string_agg(b.title || '/' || b.isbn || '/'"
                    + " || s.name || '/' || s.room, ', ') FROM shop_book b JOIN shop_shelf s ON s.id = b.shelf_id"));
            assertTrue(postgres.scalar("SELECT min(applied) FROM django_migrations").matches("\\d{4}-\\d\\d-\\d\\d"
                    + " \\d\\d:\\d\\d:\\d\\d\\.\\d{6}"));
        }
    }
}
