package io.sharemirror.config;

import java.util.List;

/**
 * Which user tables a database mirrors: all of {@code include} (or every table when empty), minus
 * {@code exclude}. Names match ignoring case, as SQLite's do.
 */
public record TableFilter(List<String> include, List<String> exclude) {

    public static final TableFilter ALL = new TableFilter(List.of(), List.of());

    public TableFilter {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
    }

    public boolean accepts(String table) {
        return (include.isEmpty() || include.stream().anyMatch(table::equalsIgnoreCase))
                && exclude.stream().noneMatch(table::equalsIgnoreCase);
    }
}
