package io.sharemirror.ui;

import io.sharemirror.ui.menu.MenuEntry;
import java.util.List;
import javax.swing.ButtonGroup;
import javax.swing.JCheckBoxMenuItem;
import javax.swing.JComponent;
import javax.swing.JMenu;
import javax.swing.JMenuItem;
import javax.swing.JPopupMenu;
import javax.swing.JRadioButtonMenuItem;

/** Draws menu entries as a Swing popup; each component is named after its entry's id, for tests. */
final class SwingMenu {

    private SwingMenu() {
    }

    static JPopupMenu popup(String name, List<MenuEntry> entries) {
        JPopupMenu menu = new JPopupMenu();
        menu.setName(name);
        addAll(menu, entries);
        return menu;
    }

    private static void addAll(JComponent menu, List<MenuEntry> entries) {
        ButtonGroup group = new ButtonGroup();
        for (MenuEntry entry : entries) {
            if (entry instanceof MenuEntry.Separator) {
                menu.add(new JPopupMenu.Separator());
                continue;
            }
            JMenuItem item = item(entry);
            item.setName(entry.id());
            if (item instanceof JRadioButtonMenuItem) {
                group.add(item);
            }
            menu.add(item);
        }
    }

    private static JMenuItem item(MenuEntry entry) {
        if (entry instanceof MenuEntry.Heading h) {
            JMenuItem item = new JMenuItem(h.label(), StateIcons.named(h.icon(), 16));
            item.setEnabled(false);
            return item;
        }
        if (entry instanceof MenuEntry.Action a) {
            JMenuItem item = new JMenuItem(a.label());
            item.addActionListener(e -> a.run().run());
            return item;
        }
        if (entry instanceof MenuEntry.Toggle t) {
            JCheckBoxMenuItem item = new JCheckBoxMenuItem(t.label(), t.checked());
            item.addActionListener(e -> t.set().accept(item.isSelected()));
            return item;
        }
        if (entry instanceof MenuEntry.Choice c) {
            JRadioButtonMenuItem item = new JRadioButtonMenuItem(c.label(), c.selected());
            item.addActionListener(e -> c.choose().run());
            return item;
        }
        MenuEntry.Submenu s = (MenuEntry.Submenu) entry;
        JMenu item = new JMenu(s.label());
        item.setEnabled(!s.entries().isEmpty());
        addAll(item, s.entries());
        return item;
    }
}
