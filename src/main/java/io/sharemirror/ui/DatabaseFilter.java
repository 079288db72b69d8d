package io.sharemirror.ui;

import java.util.List;
import java.util.Objects;
import javax.swing.DefaultComboBoxModel;
import javax.swing.JComboBox;

/** "All databases" or one of them; the History and Conflicts tabs both filter by it. */
final class DatabaseFilter extends JComboBox<String> {

    static final String ALL = "All databases";

    DatabaseFilter(String name) {
        super(new DefaultComboBoxModel<>(new String[] {ALL}));
        setName(name);
    }

    /** The chosen database, or null for all of them. */
    String database() {
        Object s = getSelectedItem();
        return s == null || s.equals(ALL) ? null : s.toString();
    }

    /** Keeps the choice when the list of databases changes; falls back to all when it went away. */
    void databases(List<String> names) {
        List<String> items = new java.util.ArrayList<>(List.of(ALL));
        items.addAll(names);
        DefaultComboBoxModel<String> model = (DefaultComboBoxModel<String>) getModel();
        boolean same = model.getSize() == items.size();
        for (int i = 0; same && i < items.size(); i++) {
            same = Objects.equals(model.getElementAt(i), items.get(i));
        }
        if (!same) {
            String chosen = database();
            setModel(new DefaultComboBoxModel<>(items.toArray(String[]::new)));
            setSelectedItem(chosen != null && names.contains(chosen) ? chosen : ALL);
        }
    }
}
