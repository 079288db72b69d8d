package io.sharemirror.sync.conflict;

/** How finely a row changed both here and on the hub since the last sync is merged. */
public enum MergeMode {
    /** The whole row is one version: the conflict policy keeps one side's row, the other goes to the archive. */
    ROW("row"),
    /**
     * An edit of the same row on both sides keeps every column only one side changed; only a column both changed, to
     * different values, is a conflict the policy decides. Inserts, deletes and key changes stay whole rows.
     */
    COLUMN("column");

    private final String configName;

    MergeMode(String configName) {
        this.configName = configName;
    }

    /** The spelling used in config.yaml. */
    public String configName() {
        return configName;
    }
}
