package io.sharemirror.ui;

import io.sharemirror.sync.StoreException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns what went wrong in the agent into text for a dialog: the message, then what to do about it. */
final class Failures {

    private Failures() {
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static String describe(Throwable e) {
        Throwable t = unwrap(e);
        if (t instanceof StoreException s) {
            return s.getMessage() + (s.hint() == null ? "" : "\n" + s.hint());
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
