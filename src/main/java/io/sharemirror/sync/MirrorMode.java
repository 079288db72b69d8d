package io.sharemirror.sync;

/** What a mirror may do to the shared database. */
public enum MirrorMode {
    /** Local writes are captured and pushed; the hub gets ShareMirror's change log and triggers. */
    READ_WRITE("read-write"),
    /**
     * Nothing is installed on or written to the hub: the replica is a copy, replaced whenever the hub changes, and
     * refuses writes. For people who may read the shared database but not alter it.
     */
    READ_ONLY("read-only");

    private final String configName;

    MirrorMode(String configName) {
        this.configName = configName;
    }

    /** The spelling used in config.yaml. */
    public String configName() {
        return configName;
    }
}
