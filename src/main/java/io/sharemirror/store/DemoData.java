package io.sharemirror.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;

/** The demo's share and its two kinds of writer: an application on the replica, a program on the share. */
public final class DemoData {

    private DemoData() {
    }

    /** Creates the demo hub from the bundled chinook sample (MIT licence, see demo/chinook.LICENSE.md). */
    public static void createHub(Path hub) throws IOException {
        Files.createDirectories(hub.toAbsolutePath().getParent());
        try (InputStream sample = DemoData.class.getResourceAsStream("/demo/chinook.sqlite")) {
            if (sample == null) {
                throw new IOException("the demo sample demo/chinook.sqlite is missing from the jar");
            }
            Files.copy(sample, hub);
        }
    }

    /** Inserts an artist through a plain connection, as any application using the file would. */
    public static void addArtist(Path database, String name) throws SQLException {
        ConnectionFactory factory = new ConnectionFactory(Duration.ofSeconds(30));
        try (Connection c = factory.open(database, ConnectionFactory.Kind.HUB);
             PreparedStatement s = c.prepareStatement("INSERT INTO Artist(Name) VALUES(?)")) {
            s.setString(1, name);
            s.executeUpdate();
        }
    }

    public static long countArtists(Path database, String name) throws SQLException {
        ConnectionFactory factory = new ConnectionFactory(Duration.ofSeconds(30));
        try (Connection c = factory.open(database, ConnectionFactory.Kind.HUB);
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM Artist WHERE Name = ?")) {
            s.setString(1, name);
            try (var r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        }
    }
}
