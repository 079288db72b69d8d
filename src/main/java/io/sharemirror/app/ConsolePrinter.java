package io.sharemirror.app;

import io.sharemirror.status.DatabaseStatus;
import io.sharemirror.status.StatusModel;
import io.sharemirror.status.StatusSnapshot;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

/** Headless face of the status model: one line whenever a database's state or pending count changes. */
final class ConsolePrinter implements StatusModel.Listener {

    private final PrintStream out;
    private final Map<String, String> lastLine = new HashMap<>();

    ConsolePrinter(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void changed(StatusSnapshot snapshot) {
        for (DatabaseStatus s : snapshot.databases()) {
            String line = s.name() + ": " + s.state() + (s.syncing() ? " (syncing)" : "")
                    + ", " + s.pendingWrites() + " pending" + (s.error() == null ? "" : " - " + s.error());
            if (!line.equals(lastLine.put(s.name(), line))) {
                out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + line);
            }
        }
    }
}
