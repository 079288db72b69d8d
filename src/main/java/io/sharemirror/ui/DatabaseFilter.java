package io.sharemirror.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.swing.DefaultComboBoxModel;
import javax.swing.JComboBox;
import javax.swing.JLabel;

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

    /**
     * Reads the rows for the chosen database off the event thread and shows them, unless the choice changed
     * while they were read; a failure is said in {@code problem}.
     */
    <T> void load(Background background, Function<String, List<T>> read, Consumer<List<T>> show, JLabel problem,
                  String what) {
        String chosen = database();
        background.run(() -> read.apply(chosen), rows -> {
            if (Objects.equals(chosen, database())) {
                show.accept(rows);
                problem.setText("");
            }
        }, e -> problem.setText(what + " could not be read: " + Failures.describe(e)));
    }

    /** Keeps the choice when the list of databases changes; falls back to all when it went away. */
    void databases(List<String> names) {
        List<String> items = new ArrayList<>(List.of(ALL));
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
