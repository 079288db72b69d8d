package io.sharemirror.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.swing.JComponent;
import javax.swing.RepaintManager;
import org.assertj.swing.exception.EdtViolationException;
import org.assertj.swing.edt.FailOnThreadViolationRepaintManager;

/**
 * assertj-swing's {@link FailOnThreadViolationRepaintManager} for the GUI tests: a showing component repainted or
 * invalidated off the event dispatch thread throws in the thread that did it. That thread may be one of the app's
 * own, whose exception no test would see, so each violation is also kept, and {@link #close} fails on the first.
 */
final class EdtWatch extends FailOnThreadViolationRepaintManager implements AutoCloseable {

    private final RepaintManager previous;
    private final List<EdtViolationException> seen = new CopyOnWriteArrayList<>();

    private EdtWatch(RepaintManager previous) {
        this.previous = previous;
    }

    /** Installs the watch, in place of the repaint manager there was, for every component from now on. */
    static EdtWatch start() {
        EdtWatch watch = new EdtWatch(RepaintManager.currentManager(null));
        RepaintManager.setCurrentManager(watch);
        return watch;
    }

    @Override
    public void addDirtyRegion(JComponent c, int x, int y, int w, int h) {
        try {
            super.addDirtyRegion(c, x, y, w, h);
        } catch (EdtViolationException e) {
            seen.add(e);
            throw e;
        }
    }

    @Override
    public void addInvalidComponent(JComponent c) {
        try {
            super.addInvalidComponent(c);
        } catch (EdtViolationException e) {
            seen.add(e);
            throw e;
        }
    }

    /** Puts the previous repaint manager back; fails with the first off-thread access seen, if any. */
    @Override
    public void close() {
        RepaintManager.setCurrentManager(previous);
        assertTrue(seen.isEmpty(), () -> seen.size() + " Swing calls off the event dispatch thread, the first: "
                + stackOf(seen.get(0)));
    }

    private static String stackOf(EdtViolationException e) {
        StringBuilder out = new StringBuilder(e.getMessage());
        for (StackTraceElement frame : e.getStackTrace()) {
            out.append("\n\tat ").append(frame);
        }
        return out.toString();
    }
}
