package io.sharemirror.store.pg;

import io.sharemirror.paths.PostgresAddress;
import io.sharemirror.store.HubConnection;
import io.sharemirror.sync.Clock;
import io.sharemirror.sync.ClockSample;
import io.sharemirror.sync.Hub;
import io.sharemirror.sync.MirrorMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A store's hub on a PostgreSQL server ({@code path: postgresql://…}): connects when first asked, through
 * {@link PgConnector} (credentials the PostgreSQL way), and a read-write mirror first makes sure ShareMirror's own
 * objects are there ({@link PgCatalog#install}: idempotent, one transaction under the catalog's lock), so a new, empty
 * database becomes a hub at its first agent's connection, as a share's file does.
 */
public final class PgHubConnection implements HubConnection {

    private final PostgresAddress address;
    private final Predicate<String> mirrored;
    private final MirrorMode mode;
    private final PgConnector connector;
    private final Clock clock;
    private final Consumer<ClockSample> clockSamples;
    private PgHub hub;

    private PgHubConnection(PostgresAddress address, Predicate<String> mirrored, MirrorMode mode,
                            PgConnector connector, Clock clock, Consumer<ClockSample> clockSamples) {
        this.address = address;
        this.mirrored = mirrored;
        this.mode = mode;
        this.connector = connector;
        this.clock = clock;
        this.clockSamples = clockSamples;
    }

    /** How a store makes its connection to the hub at {@code address}. */
    public static HubConnection.Maker maker(PostgresAddress address, Predicate<String> mirrored, MirrorMode mode,
                                            PgConnector connector) {
        return (reference, clockSamples) -> new PgHubConnection(address, mirrored, mode, connector,
                reference.localClock(), clockSamples);
    }

    @Override
    public Hub hub() {
        if (hub == null) {
            hub = connect();
        }
        return hub;
    }

    private PgHub connect() {
        try {
            if (mode == MirrorMode.READ_WRITE) {
                try (Connection c = connector.open(address)) {
                    PgCatalog.install(c);
                }
            }
            // The engine's hub-change poll asks version(), which counts what the listener heard: nothing to wake.
            return PgHub.open(() -> connector.open(address), location(), mirrored, clock, clockSamples, () -> { });
        } catch (SQLException e) {
            throw PgErrors.classify("opening the hub " + location(), e);
        }
    }

    @Override
    public void disconnect() {
        if (hub != null) {
            hub.close();
            hub = null;
        }
    }

    @Override
    public String location() {
        return address.url();
    }
}
