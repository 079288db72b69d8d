package io.sharemirror.ui.freedesktop;

import org.freedesktop.dbus.interfaces.Properties;

/** org.freedesktop.DBus.Properties for an exported object whose properties are all read-only: Get reads GetAll. */
abstract class ReadOnlyProperties implements Properties {

    @Override
    @SuppressWarnings("unchecked")
    public <A> A Get(String interfaceName, String propertyName) {
        return (A) GetAll(interfaceName).get(propertyName);
    }

    @Override
    public <A> void Set(String interfaceName, String propertyName, A value) {
        throw new UnsupportedOperationException(propertyName + " is read-only");
    }
}
