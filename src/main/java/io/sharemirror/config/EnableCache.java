package io.sharemirror.config;

/** Whether a database is mirrored locally or opened where it lies. */
public enum EnableCache {
    /** Mirror network paths, open local paths directly. */
    AUTO,
    /** Always mirror. */
    TRUE,
    /** Always open the share path directly. */
    FALSE
}
