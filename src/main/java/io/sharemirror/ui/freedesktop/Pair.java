package io.sharemirror.ui.freedesktop;

import org.freedesktop.dbus.Tuple;
import org.freedesktop.dbus.annotations.Position;

/** Two return values of one D-Bus method, in order (dbus-java maps a method's several out-arguments to a Tuple). */
public final class Pair<A, B> extends Tuple {
    @Position(0)
    public final A first;
    @Position(1)
    public final B second;

    public Pair(A first, B second) {
        this.first = first;
        this.second = second;
    }
}
