package io.sharemirror.share;

import ru.serce.jnrfuse.ErrorCodes;

/** The errors a flaky share returns, with the text {@code strerror} gives them (what a Java IOException carries). */
public enum Errno {
    EIO(ErrorCodes.EIO(), "Input/output error"),
    ENOSPC(ErrorCodes.ENOSPC(), "No space left on device"),
    ENOTCONN(ErrorCodes.ENOTCONN(), "Transport endpoint is not connected"),
    ESTALE(ErrorCodes.ESTALE(), "Stale file handle");

    final int code;
    final String text;

    Errno(int code, String text) {
        this.code = code;
        this.text = text;
    }

    /** The text a failed system call reports, as in an IOException's message. */
    public String text() {
        return text;
    }
}
