package io.sharemirror.ui;

import io.sharemirror.sync.Waiting;
import io.sharemirror.sync.WayOut;

/** What a way out of a change that waits will do, in words, before a person chooses it. */
final class WayOutText {

    private WayOutText() {
    }

    static String consequence(Waiting w, WayOut way) {
        String mine = w.fromHub() ? "This computer's " + w.clash().other().describe() : w.key().describe() + " made here";
        String theirs = w.clash().other() == null ? "" : w.fromHub() ? "The hub's " + w.key().describe()
                : "The hub's " + w.clash().other().describe();
        String archived = "its version goes to the conflict archive (Conflicts tab), where Restore brings it back";
        return switch (way) {
            case KEEP_MINE -> mine + " keeps " + w.clash().values() + ".\n" + theirs + " loses it: " + archived
                    + ".\nThe hub's row goes back to this computer's version of it, or is deleted where this computer"
                    + " has none, on every desktop at the next sync.";
            case KEEP_THEIRS -> theirs + " keeps " + w.clash().values() + ".\n" + mine + " loses it: " + archived
                    + ".\nIt goes back to the hub's version of it, or is deleted if it was made here.";
            case DISCARD -> w.fromHub()
                    ? "The hub's change to " + w.key().describe() + " is undone: " + archived + ".\nThis computer's"
                    + " version of the row goes back to the hub, or the row is deleted there if this computer has none."
                    : "This computer's change to " + w.key().describe() + " is discarded: " + archived + ".\nThe row"
                    + " goes back to the hub's version of it, or is deleted if it was made here.";
        };
    }
}
