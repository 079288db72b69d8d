package io.sharemirror.app;

import static io.sharemirror.app.XDisplay.waitFor;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.swing.JFrame;
import javax.swing.JLabel;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.exception.EdtViolationException;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The GUI tests' watch on Swing's threading fails a test for a call off the event thread, whichever thread made it. */
class EdtWatchTest {

    @Test
    void aShowingComponentChangedByAnotherThreadFailsTheWatch() throws Exception {
        XDisplay.ensure(false);
        EdtWatch watch = EdtWatch.start();
        JLabel label = GuiActionRunner.execute(() -> new JLabel("made on the event thread"));
        JFrame frame = GuiActionRunner.execute(() -> {
            JFrame f = new JFrame("EdtWatchTest");
            f.add(label);
            f.pack();
            f.setVisible(true);
            return f;
        });
        try {
            waitFor(() -> GuiActionRunner.execute(label::isShowing), "the label showing");
            // As an app's background thread would: the exception stays in that thread, no test sees it.
            Thread background = new Thread(() -> {
                try {
                    label.setText("changed off the event thread");
                } catch (EdtViolationException e) {
                    // thrown here, where it is lost; the watch kept it
                }
            });
            background.start();
            background.join();
        } finally {
            GuiActionRunner.execute(frame::dispose);
        }
        AssertionFailedError failed = assertThrows(AssertionFailedError.class, watch::close);
        assertTrue(failed.getMessage().contains("JLabel.setText"), failed.getMessage());
    }
}
