package io.sharemirror.app;

/** Exit codes scripts can rely on; `--help` lists them. */
enum ExitCode {
    OK(0, "success"),
    INTERNAL(1, "unexpected internal error (a bug: please report it with the log)"),
    USAGE(2, "bad command line or bad config file; nothing was started"),
    OFFLINE(3, "a share could not be reached (local writes stay queued)"),
    FAILED(4, "a sync or Clear Cache failed for another reason (see the message and its hint)"),
    REFUSED(5, "refused: Clear Cache while pending writes could not be pushed (see --discard-pending), a way out"
            + " of a waiting row that cannot be taken as asked, or move-hub of a hub that moved already or of a move"
            + " not confirmed (the message says why)"),
    ALREADY_RUNNING(6, "run: ShareMirror is already running for this user with another config, or did not answer");

    final int code;
    final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The worse of two outcomes, so one offline database makes the whole run report offline. */
    ExitCode worse(ExitCode other) {
        return other.code > code && other != INTERNAL ? other : this;
    }
}
