package io.sharemirror.driver;

/**
 * Where connections to a database go right now.
 *
 * @param file the replica, or the database on the share
 * @param directReason why the share is opened directly ("direct: ..."), or null for the replica
 */
public record Route(String file, String directReason) {

    public boolean direct() {
        return directReason != null;
    }
}
