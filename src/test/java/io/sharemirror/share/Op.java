package io.sharemirror.share;

/** The kinds of filesystem operation {@link FaultFs} passes through, counts and can fail: each is one round trip on a real share. */
public enum Op {
    GETATTR, READDIR, MKDIR, RMDIR, UNLINK, RENAME, CHMOD, CHOWN, UTIMENS, STATFS,
    CREATE, OPEN, READ, WRITE, TRUNCATE, FLUSH, FSYNC, RELEASE
}
