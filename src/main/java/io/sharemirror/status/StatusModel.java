package io.sharemirror.status;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * The observable state of every database. Writers are engine threads; listeners are called on the
 * writer's thread with an immutable snapshot and must hand off to their own thread (the UI does).
 */
public final class StatusModel {

    /** Receives every change; must return quickly. */
    public interface Listener {
        void changed(StatusSnapshot snapshot);
    }

    private final Map<String, DatabaseStatus> byName = new ConcurrentHashMap<>();
    private final List<String> order = new CopyOnWriteArrayList<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public void put(DatabaseStatus status) {
        if (byName.put(status.name(), status) == null) {
            order.add(status.name());
        }
        fire();
    }

    /** Applies {@code change} to the named database's status atomically; ignored for unknown names. */
    public void update(String name, UnaryOperator<DatabaseStatus> change) {
        if (byName.computeIfPresent(name, (n, s) -> change.apply(s)) != null) {
            fire();
        }
    }

    public void remove(String name) {
        if (byName.remove(name) != null) {
            order.remove(name);
            fire();
        }
    }

    public StatusSnapshot snapshot() {
        return new StatusSnapshot(order.stream().map(byName::get).filter(s -> s != null).toList());
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    private void fire() {
        StatusSnapshot snapshot = snapshot();
        for (Listener l : listeners) {
            l.changed(snapshot);
        }
    }
}
