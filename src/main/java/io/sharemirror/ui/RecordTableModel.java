package io.sharemirror.ui;

import java.util.ArrayList;
import java.util.List;
import javax.swing.table.AbstractTableModel;

/** A read-only table of records: its column titles, and how each column reads a record. */
abstract class RecordTableModel<T> extends AbstractTableModel {

    private final String[] columns;
    private List<T> rows = new ArrayList<>();

    RecordTableModel(String... columns) {
        this.columns = columns;
    }

    abstract Object value(T row, int column);

    void rows(List<T> latest) {
        rows = new ArrayList<>(latest);
        fireTableDataChanged();
    }

    List<T> rows() {
        return rows;
    }

    /** Repaints every row, for values that change with time or arrive later (sizes, "in 12 s"). */
    void refreshAll() {
        if (!rows.isEmpty()) {
            fireTableRowsUpdated(0, rows.size() - 1);
        }
    }

    @Override
    public int getRowCount() {
        return rows.size();
    }

    @Override
    public int getColumnCount() {
        return columns.length;
    }

    @Override
    public String getColumnName(int column) {
        return columns[column];
    }

    @Override
    public Object getValueAt(int row, int column) {
        return value(rows.get(row), column);
    }
}
