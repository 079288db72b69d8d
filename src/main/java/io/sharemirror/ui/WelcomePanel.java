package io.sharemirror.ui;

import java.awt.Font;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.UIManager;

/** What the dashboard shows while no database is configured: what ShareMirror does, and one button to start. */
final class WelcomePanel extends JPanel {

    private final JButton add = new JButton("Add Database…");

    WelcomePanel(Commands commands) {
        super(new GridBagLayout());
        setName("welcome");
        setBorder(BorderFactory.createEmptyBorder(24, 48, 24, 48));
        JLabel icon = new JLabel(StateIcons.named("app", 96));
        JLabel title = new JLabel("Welcome to ShareMirror");
        title.setFont(title.getFont().deriveFont(Font.BOLD, title.getFont().getSize2D() * 1.8f));
        JLabel text = new JLabel("<html><div style='width:460px;text-align:center'>"
                + "ShareMirror keeps SQLite databases that live on a network share mirrored on this computer."
                + " Your applications work on a fast local copy, also while the share is away, and ShareMirror"
                + " keeps it in step with the share in the background.<br><br>"
                + "Start by choosing the database on the share.</div></html>");
        text.setForeground(UIManager.getColor("Label.disabledForeground"));
        add.setName("welcomeAdd");
        add.setFont(add.getFont().deriveFont(add.getFont().getSize2D() * 1.2f));
        add.addActionListener(e -> commands.addDatabase(this));
        GridBagConstraints c = new GridBagConstraints();
        c.gridx = 0;
        c.insets = new Insets(8, 0, 8, 0);
        add(icon, c);
        add(title, c);
        add(text, c);
        c.insets = new Insets(20, 0, 8, 0);
        add(add, c);
    }

    /** The one button: the window's default, so Enter starts the setup. */
    JButton button() {
        return add;
    }
}
