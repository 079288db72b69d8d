package io.sharemirror.ui;

import java.awt.BorderLayout;
import java.awt.Component;
import java.awt.FlowLayout;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JPanel;

/** The dashboard's own dialogs look alike: the form, and under it on the right OK (pressed by Enter) and Cancel. */
final class DialogLayout {

    private DialogLayout() {
    }

    static void formWithButtons(JDialog dialog, Component form, JButton ok, JButton cancel) {
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.RIGHT));
        buttons.add(ok);
        buttons.add(cancel);
        dialog.getRootPane().setDefaultButton(ok);
        dialog.add(form, BorderLayout.CENTER);
        dialog.add(buttons, BorderLayout.SOUTH);
    }
}
