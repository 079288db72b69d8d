package io.sharemirror.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.store.Cluster;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs after {@code package} (failsafe), on target/sharemirror.jar: sqlite-jdbc registers its driver through the same
 * service file as ours, so shading must merge the two files, not keep one of them.
 */
class ShadedJarIT {

    private static final Path JAR = Path.of(System.getProperty("sharemirror.jar", "target/sharemirror.jar"));

    @TempDir
    Path dir;

    @Test
    void theShadedJarDeclaresEveryDriver() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            var entry = jar.getEntry("META-INF/services/java.sql.Driver");
            List<String> drivers = new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8)
                    .lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            assertTrue(drivers.containsAll(List.of("org.sqlite.JDBC", "io.sharemirror.driver.ShareMirrorDriver",
                    "org.postgresql.Driver")),
                    drivers.toString());
        }
    }

    @Test
    void aPlainJdbcProgramOnTheShadedJarGetsTheReplica() throws Exception {
        try (Cluster cluster = Cluster.chinook(dir)) {
            var node = cluster.add(ConflictPolicy.NEWEST_WINS);
            node.sync();
            Path config = dir.resolve("config.yaml");
            Files.writeString(config, "database:\n  cache_directory: " + dir.resolve("cache0")
                    + "\n  enable_cache: true\ndatabases:\n  - {name: db, path: " + cluster.hub + "}\n");
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            String classpath = JAR + File.pathSeparator + Path.of("target", "test-classes");
            Process p = new ProcessBuilder(java.toString(), "-cp", classpath, PlainJdbcProgram.class.getName(),
                    "jdbc:sharemirror:" + cluster.hub + "?config=" + config).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), output);
            assertTrue(output.strip().endsWith(node.replica().toString()), output);
            assertEquals("1", node.scalar("SELECT count(*) FROM _sm_pending"));
            assertTrue(node.sync().succeeded());
            assertEquals("1", Cluster.scalar(cluster.hub,
                    "SELECT count(*) FROM Artist WHERE Name = 'From a plain JDBC program'"));
        }
    }
}
