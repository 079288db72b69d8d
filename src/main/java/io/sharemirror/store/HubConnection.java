package io.sharemirror.store;

import io.sharemirror.sync.ClockSample;
import io.sharemirror.sync.Hub;
import io.sharemirror.sync.ReferenceClock;
import java.util.function.Consumer;

/**
 * Where a store's hub comes from: connects when asked, hands out the hub port, and drops the connection after a
 * failure. {@link SqliteMirrorStore} and its rooms reach the hub only through this and {@link Hub}, so a hub of any
 * kind plugs in; {@link HubFile} is the one for an SQLite file on a share. Not thread-safe: the store serializes every
 * call.
 */
public interface HubConnection {

    /**
     * The hub, connected first when there is no connection, or when the one there is no longer reaches the configured
     * hub (another file at the path, say). Fails with a {@link io.sharemirror.sync.StoreException}: OFFLINE when the
     * hub cannot be reached now, FAILED when it is refused; it is called again at the next cycle.
     */
    Hub hub();

    /** Drops the connection, if there is one; the next {@link #hub()} connects again. */
    void disconnect();

    /** Where the hub is, as configured, for messages. */
    String location();

    /** Makes a store's hub connection, which connects only when first asked for the hub. */
    @FunctionalInterface
    interface Maker {

        /**
         * @param reference the database's reference clock: its estimate is the server's time now, for what the hub
         *                  stamps itself (a node's last sighting, a damage report)
         * @param clockSamples where each reading of the server's clock goes ({@link Hub#readServerClock()}, and each
         *                     push reads one on the way)
         */
        HubConnection make(ReferenceClock reference, Consumer<ClockSample> clockSamples);
    }
}
