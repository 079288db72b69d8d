package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.Figures;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: Alembic (1.8, with SQLAlchemy 1.4, the Debian packages under /usr/bin/python3) as an application's
 * start-up runs it, {@code alembic upgrade head} on the replica's path, with its own {@code alembic_version} table.
 * The application upgrade reaches both desktops while they are apart: the same migrations (a table created, a column
 * added, a batch rebuild) run on each. Once synced the schema is agreed as it is, no row is lost, and Alembic on either
 * desktop finds itself at head.
 */
class AlembicOnTwoDesktopsTest {

    @TempDir
    Path dir;

    private static final String[] SCHEMA = {
        "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT, qty INTEGER)",
        "INSERT INTO item VALUES(1, 'one', 1), (2, 'two', 2)",
    };

    private static final String FIRST = String.join("\n",
            "from alembic import op",
            "import sqlalchemy as sa",
            "revision = 'a1'",
            "down_revision = None",
            "def upgrade():",
            "    op.create_table('note', sa.Column('id', sa.Integer, primary_key=True),",
            "                    sa.Column('body', sa.Text, nullable=False))",
            "    op.add_column('item', sa.Column('colour', sa.Text, server_default='red'))",
            "");
    private static final String SECOND = String.join("\n",
            "from alembic import op",
            "import sqlalchemy as sa",
            "revision = 'a2'",
            "down_revision = 'a1'",
            "def upgrade():",
            "    with op.batch_alter_table('item', recreate='always') as batch:",
            "        batch.alter_column('name', existing_type=sa.Text, nullable=False, server_default='')",
            "");

    /** Runs {@code alembic upgrade head} and prints the current revision, as the application would at start-up. */
    private static final String UPGRADE = String.join("\n",
            "import sys",
            "from alembic.config import Config",
            "from alembic import command",
            "cfg = Config()",
            "cfg.set_main_option('script_location', sys.argv[1])",
            "cfg.set_main_option('sqlalchemy.url', 'sqlite:///' + sys.argv[2])",
            "command.upgrade(cfg, 'head')",
            "command.current(cfg)");

    @Test
    void theSameMigrationsOnTwoDesktopsAreAgreedAndLoseNoWrite() throws Exception {
        Path scripts = scripts();
        try (Cluster cluster = newCluster(SCHEMA)) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            a.exec("INSERT INTO item(id, name, qty) VALUES(10, 'on a before', 10)");
            b.exec("UPDATE item SET qty = 22 WHERE id = 2");
            for (var node : List.of(a, b)) {
                var run = OtherPrograms.python(UPGRADE, scripts.toString(), node.replica().toString());
                assertEquals(0, run.exitCode(), run.output());
            }
            a.exec("INSERT INTO note(body) VALUES('note on a')", "INSERT INTO item(id, name, qty) VALUES(11,"
                    + " 'on a after', 11)");
            b.exec("INSERT INTO note(body) VALUES('note on b')", "UPDATE item SET colour = 'blue' WHERE id = 1");
            directWrite(cluster, "INSERT INTO item(id, name, qty) VALUES(30, 'direct, before the upgrade', 30)");
            cluster.settle();
            cluster.settle();

            List<String> written = List.of("item 10 on a before", "item 11 on a after", "item 2 qty 22",
                    "item 1 blue", "item 30 direct, before the upgrade", "note on a", "note on b");
            Path hub = cluster.hubCopy();
            long lost = written.stream().filter(w -> !onHub(hub, w)).count();
            Figures.of(getClass().getSimpleName()).runs(1).writesChecked(written.size()).writesLost(lost)
                    .put("migrations", 2).publish();
            assertEquals(0, lost, () -> "writes missing from the hub: " + written.stream().filter(w -> !onHub(hub, w))
                    .toList() + "; archived on a " + a.conflicts() + "; on b " + b.conflicts());
            cluster.assertConverged();
            assertEquals("a2", Cluster.scalar(hub, "SELECT group_concat(version_num) FROM alembic_version"));
            assertEquals(SchemaChangeMatrixTest.schema(hub), SchemaChangeMatrixTest.schema(a.replica()));
            assertTrue(Cluster.scalar(hub, "SELECT sql FROM sqlite_master WHERE name = 'item'")
                    .contains("colour"));
            for (var node : List.of(a, b)) {
                var again = OtherPrograms.python(UPGRADE, scripts.toString(), node.replica().toString());
                assertEquals(0, again.exitCode(), again.output());
                assertTrue(again.output().contains("a2 (head)"), again.output());
            }
        }
    }

    /** Desktops on a new hub made by {@code ddl}: here a file on the share. */
    Cluster newCluster(String... ddl) throws Exception {
        return Cluster.withSchema(dir, ddl);
    }

    /** {@code sql} run on the hub by a program without ShareMirror. */
    void directWrite(Cluster cluster, String sql) throws Exception {
        cluster.hubExec(sql);
    }

    private static boolean onHub(Path hub, String write) {
        String sql = switch (write) {
            case "item 10 on a before" -> "SELECT count(*) FROM item WHERE id = 10 AND name = 'on a before'";
            case "item 11 on a after" -> "SELECT count(*) FROM item WHERE id = 11 AND name = 'on a after'";
            case "item 2 qty 22" -> "SELECT count(*) FROM item WHERE id = 2 AND qty = 22";
            case "item 1 blue" -> "SELECT count(*) FROM item WHERE id = 1 AND colour = 'blue'";
            case "item 30 direct, before the upgrade" -> "SELECT count(*) FROM item WHERE id = 30";
            default -> "SELECT count(*) FROM note WHERE body = " + Sql.literal(write);
        };
        try {
            return "1".equals(Cluster.scalar(hub, sql));
        } catch (java.sql.SQLException e) {
            return false;
        }
    }

    /** An Alembic script folder as {@code alembic init} makes it, with the two revisions. */
    private Path scripts() throws Exception {
        Path folder = dir.resolve("alembic");
        var init = OtherPrograms.python(String.join("\n", "import sys",
                "from alembic.config import Config",
                "from alembic import command",
                "command.init(Config(sys.argv[1] + '.ini'), sys.argv[1])"), folder.toString());
        assertEquals(0, init.exitCode(), init.output());
        Files.writeString(folder.resolve("versions").resolve("a1_first.py"), FIRST);
        Files.writeString(folder.resolve("versions").resolve("a2_second.py"), SECOND);
        return folder;
    }
}
