package io.sharemirror.ui;

import javax.swing.event.DocumentEvent;
import javax.swing.event.DocumentListener;
import javax.swing.text.JTextComponent;

/** Runs something after every edit of a text field, typed or pasted: for checks that follow the text as it changes. */
final class TextChanges {

    private TextChanges() {
    }

    static void follow(JTextComponent field, Runnable changed) {
        field.getDocument().addDocumentListener(new DocumentListener() {
            @Override
            public void insertUpdate(DocumentEvent e) {
                changed.run();
            }

            @Override
            public void removeUpdate(DocumentEvent e) {
                changed.run();
            }

            @Override
            public void changedUpdate(DocumentEvent e) {
                changed.run();
            }
        });
    }
}
