package io.sharemirror.ui.menu;

import java.util.List;
import java.util.function.Consumer;

/**
 * One entry of the tray's menu, free of any toolkit: the tray menu is described once as a list of these, and each
 * renderer (a Swing popup, a com.canonical.dbusmenu export) draws the same entries with the same checkmarks. The
 * {@code id} names the entry for tests and for the renderers (a Swing component name, a stable D-Bus item key).
 * Actions run on the UI's event thread; a renderer that is called on another thread hands them over.
 */
public sealed interface MenuEntry {

    /** A disabled first line saying the state, with the tray icon's own picture ({@code icon}: its name in icons/). */
    record Heading(String id, String label, String icon) implements MenuEntry {
    }

    record Action(String id, String label, Runnable run) implements MenuEntry {
    }

    /** A checkbox: {@code set} receives the new value when the user flips it. */
    record Toggle(String id, String label, boolean checked, Consumer<Boolean> set) implements MenuEntry {
    }

    /** One of a group of radio items; the group is the consecutive choices of one submenu. */
    record Choice(String id, String label, boolean selected, Runnable choose) implements MenuEntry {
    }

    /** A submenu, disabled while it has no entries. */
    record Submenu(String id, String label, List<MenuEntry> entries) implements MenuEntry {
        public Submenu {
            entries = List.copyOf(entries);
        }
    }

    record Separator() implements MenuEntry {
    }

    String SEPARATOR_ID = "-";

    /** The entry's id; separators all share one. */
    default String id() {
        return SEPARATOR_ID;
    }
}
