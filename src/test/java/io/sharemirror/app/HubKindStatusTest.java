package io.sharemirror.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.app.Cli.Result;
import io.sharemirror.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code status} says what kind of hub each database has, and shows a PostgreSQL hub's URL where a file's path goes. */
class HubKindStatusTest {

    @TempDir
    Path dir;

    @Test
    void aFileShareAndAPostgresqlHubSideBySide() throws Exception {
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, "database:\n  cache_directory: cache\n"
                + "databases:\n  - name: notes\n    path: share/notes.db\n    enable_cache: true\n"
                + "  - name: sales\n    path: postgres://team@db.example.com/sales?sslmode=require\n");

        Result table = Cli.run("status", "--config", config.toString());
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().matches("(?s).*\\nnotes: [^\\n]*\\n  hub: file share\\n"
                + "sales: [^\\n]*\\n  hub: PostgreSQL db\\.example\\.com:5432/sales\\n.*"), table.out());
        assertTrue(table.out().matches("(?s).*\\nsales +.* postgresql://team@db\\.example\\.com:5432/sales\\?sslmode="
                + "require\\n.*"), table.out());

        Result json = Cli.run("status", "--json", "--config", config.toString());
        assertEquals(0, json.code(), json.err());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> databases = (List<Map<String, Object>>) ((Map<String, Object>) Json.read(json.out()))
                .get("databases");
        assertEquals(List.of("file share", "PostgreSQL db.example.com:5432/sales"),
                databases.stream().map(d -> d.get("hub_kind")).toList());
        assertEquals("postgresql://team@db.example.com:5432/sales?sslmode=require", databases.get(1).get("hub"));
    }
}
