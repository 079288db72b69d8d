package io.sharemirror.store.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgPassFileTest {

    @TempDir
    Path dir;

    private PgPassFile file(String... lines) throws Exception {
        Path p = dir.resolve("pgpass");
        Files.writeString(p, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return new PgPassFile(p);
    }

    @Test
    void theFirstMatchingLineWinsAndAStarMatchesAnything() throws Exception {
        PgPassFile f = file("", "# db:5432:app:me:commented", "db:5432:other:me:no", "*:5432:app:*:first",
                "db:5432:app:me:second");
        assertEquals(Optional.of(new PgPassFile.Entry("first", 4)), f.find("db", 5432, "app", "me"));
        assertEquals(Optional.empty(), f.find("db", 5433, "app", "me"));
    }

    @Test
    void escapedColonsAndBackslashesAndAPasswordWithColons() throws Exception {
        PgPassFile f = file("\\:\\:1:5432:a\\\\b:me:pa\\:ss:word");
        assertEquals(Optional.of(new PgPassFile.Entry("pa:ss:word", 1)), f.find("::1", 5432, "a\\b", "me"));
    }

    @Test
    void whereTheFileIsLookedFor() {
        Path home = Path.of("/home/me");
        assertEquals(Path.of("/etc/pgpass"), PgPassFile.of(Map.of("PGPASSFILE", "/etc/pgpass"), home, false).path());
        assertEquals(home.resolve(".pgpass"), PgPassFile.of(Map.of("PGPASSFILE", ""), home, false).path());
        assertEquals(Path.of("C:/Users/me/AppData/Roaming", "postgresql", "pgpass.conf"),
                PgPassFile.of(Map.of("APPDATA", "C:/Users/me/AppData/Roaming"), home, true).path());
    }
}
