package io.sharemirror.share;

import java.nio.file.Path;

/** A network share as a test sees it: a mounted folder that can vanish and come back. */
public interface Share extends AutoCloseable {

    /** The folder on the share, as the engine reaches it (under the mount point). */
    Path folder();

    /** The same folder as the server holds it: what really reached the share, read without going through it. */
    Path serverFolder();

    /** Every operation on the share fails from now on, as when the server or the link goes away. */
    void vanish();

    /** The share answers again. */
    void reappear();

    /** Unmounts and stops whatever the share runs; safe to call twice. */
    @Override
    void close();
}
