package io.sharemirror.ui;

import io.sharemirror.config.ConfigException;
import io.sharemirror.config.DatabaseDraft;
import io.sharemirror.config.EnableCache;
import io.sharemirror.config.SyncInterval;
import io.sharemirror.paths.PostgresAddress;
import io.sharemirror.status.FileCheck;
import io.sharemirror.sync.MirrorMode;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.awt.Component;
import java.awt.FlowLayout;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import java.io.File;
import java.time.Duration;
import java.util.List;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JComboBox;
import javax.swing.JDialog;
import javax.swing.JFileChooser;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JTextField;
import javax.swing.SwingUtilities;
import javax.swing.Timer;
import javax.swing.UIManager;
import javax.swing.filechooser.FileNameExtensionFilter;

/**
 * Add Database… and Edit…: the file on the share (or the PostgreSQL server's URL, in the same field: the config's
 * {@code path:} takes either) and a name, the live checks of that file or server, and the settings, each checked as
 * the config file would be before anything is written. The checks and the validation run on the background
 * thread a moment after the last change; only the newest answer is shown.
 */
final class DatabaseDialog extends JDialog {

    private static final int CHECK_DELAY_MS = 400;
    private static final String INTERVAL_EXAMPLES = "for example 30 s, 5 min, 2 h";

    /** What the Edit dialog opens with: a database's settings in force, and where its interval comes from. */
    record Current(DatabaseDraft draft, String intervalOrigin) {
    }

    /** One item of a drop-down: the value, in words. */
    private record Choice<T>(T value, String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    private final Commands commands;
    private final boolean editing;
    private final JTextField path = field("pathField", 34);
    private final JTextField name = field("nameField", 16);
    private final JTextField interval = field("intervalField", 8);
    private final JComboBox<Choice<EnableCache>> mirror = combo("mirrorCombo",
            new Choice<>(EnableCache.AUTO, "auto: mirror it when it is on a network share"),
            new Choice<>(EnableCache.TRUE, "always"),
            new Choice<>(EnableCache.FALSE, "never: applications open it where it is"));
    private final JComboBox<Choice<ConflictPolicy>> conflict = combo("conflictCombo",
            new Choice<>(ConflictPolicy.NEWEST_WINS, "the newest change wins"),
            new Choice<>(ConflictPolicy.HUB_WINS, "the share's version wins"),
            new Choice<>(ConflictPolicy.REPLICA_WINS, "this computer's version wins"));
    private final JComboBox<Choice<MirrorMode>> mode = combo("modeCombo",
            new Choice<>(MirrorMode.READ_WRITE, "read-write: changes go both ways"),
            new Choice<>(MirrorMode.READ_ONLY, "read-only: a copy that follows the share"));
    private final FileCheckPanel checks = new FileCheckPanel();
    private final JLabel problems = new JLabel(" ");
    private final JButton ok;
    private final Timer recheck = new Timer(CHECK_DELAY_MS, e -> check());
    /** The user typed a name: the file's name no longer fills it in. */
    private boolean nameTyped;
    private boolean fillingName;
    /** Which check the answers on screen belong to; older answers arriving late are dropped. */
    private int asked;
    private boolean usable;

    private DatabaseDialog(Component parent, Commands commands, DatabaseDraft draft, boolean editing,
                           String intervalHint) {
        super(parent == null ? null : SwingUtilities.getWindowAncestor(parent),
                editing ? "Edit " + draft.name() : "Add Database", ModalityType.APPLICATION_MODAL);
        this.commands = commands;
        this.editing = editing;
        setName("databaseDialog");
        ok = new JButton(editing ? "Save" : "Add Database");
        ok.setName("databaseOk");
        ok.setEnabled(false);
        problems.setName("configProblems");
        problems.setForeground(UIManager.getColor("Actions.Red"));
        recheck.setRepeats(false);

        path.setText(draft.path());
        name.setText(draft.name());
        nameTyped = editing;
        path.setEditable(!editing);
        name.setEditable(!editing);
        interval.setText(SyncInterval.format(draft.syncInterval()));
        select(mirror, draft.enableCache());
        select(conflict, draft.conflict());
        select(mode, draft.mode());

        JButton choose = new JButton("Choose…");
        choose.setName("chooseFile");
        choose.setEnabled(!editing);
        choose.addActionListener(e -> choose());
        JButton cancel = new JButton("Cancel");
        cancel.setName("databaseCancel");
        cancel.addActionListener(e -> dispose());
        ok.addActionListener(e -> accept());

        JPanel form = new JPanel(new GridBagLayout());
        form.setBorder(BorderFactory.createEmptyBorder(12, 12, 4, 12));
        row(form, 0, "Database:", path, choose);
        row(form, 1, "", hint(editing ? "To mirror another file or server, remove this database and add that one."
                : "<html>A file on a mounted share, such as /mnt/team/orders.db (on Windows \\\\server\\share\\orders.db),"
                + "<br>or a PostgreSQL server: postgresql://user@host/dbname (its password goes in ~/.pgpass, never"
                + " here)</html>"), null);
        row(form, 2, "Name:", name, hint("also the name of its copy here"));
        row(form, 3, "Checks:", checks, null);
        row(form, 4, "Sync every:", interval, hint(intervalHint));
        row(form, 5, "Mirror:", mirror, null);
        row(form, 6, "When both sides changed a row:", conflict, null);
        row(form, 7, "Mode:", mode, null);
        row(form, 8, "", problems, null);
        DialogLayout.formWithButtons(this, form, ok, cancel);

        TextChanges.follow(path, this::pathChanged);
        TextChanges.follow(name, () -> {
            nameTyped |= !fillingName;
            changed();
        });
        TextChanges.follow(interval, this::changed);
        mirror.addActionListener(e -> changed());
        conflict.addActionListener(e -> changed());
        mode.addActionListener(e -> changed());
        pack();
        setLocationRelativeTo(getOwner());
        changed();
    }

    static void add(Component parent, Commands commands, DatabaseDraft defaults) {
        new DatabaseDialog(parent, commands, defaults, false, INTERVAL_EXAMPLES).setVisible(true);
    }

    static void edit(Component parent, Commands commands, Current current) {
        new DatabaseDialog(parent, commands, current.draft(), true, INTERVAL_EXAMPLES + "; now "
                + current.intervalOrigin()).setVisible(true);
    }

    private void pathChanged() {
        if (!nameTyped) {
            fillingName = true;
            name.setText(nameFor(path.getText()));
            fillingName = false;
        }
        changed();
    }

    /**
     * A name from the file's stem or the PostgreSQL database's name, with what names may not hold turned into '-'
     * ("Sales 2024.db": Sales-2024). A URL that does not parse still gives the text after its last '/'.
     */
    static String nameFor(String path) {
        String text = path.strip();
        String stem = PostgresAddress.looksLike(text) ? databaseIn(text) : fileStem(text);
        stem = stem.replaceAll("[^A-Za-z0-9_.-]+", "-").replaceAll("^[^A-Za-z0-9]+", "");
        return stem.length() > 64 ? stem.substring(0, 64) : stem;
    }

    private static String fileStem(String path) {
        String file = path.replaceAll(".*[\\\\/]", "");
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    private static String databaseIn(String url) {
        try {
            return PostgresAddress.parse(url).database();
        } catch (PostgresAddress.Invalid e) {
            return fileStem(url.replaceFirst("\\?.*", ""));
        }
    }

    private void changed() {
        ok.setEnabled(false);
        recheck.restart();
    }

    /** Checks the file and validates the draft on the background thread; shows the answer if it is still wanted. */
    private void check() {
        int question = ++asked;
        Duration every;
        try {
            every = SyncInterval.parse(interval.getText());
        } catch (IllegalArgumentException e) {
            problems.setText(html(List.of(escape("Sync every: " + e.getMessage()))));
            pack();
            return;
        }
        if (path.getText().isBlank()) {
            checks.say(FileCheckPanel.FIRST_STEP);
            problems.setText(" ");
            pack();
            return;
        }
        DatabaseDraft draft = draft(every);
        // A URL is not repeated: it may hold a password, which the checks refuse.
        checks.say(PostgresAddress.looksLike(path.getText().strip()) ? "Checking the server…"
                : "Checking " + path.getText().strip() + "…");
        SetupControl setup = commands.agent().setup();
        commands.background().run(() -> new Answer(setup.check(draft, editing), setup.problems(draft, editing)),
                answer -> {
                    if (question == asked) {
                        show(answer);
                    }
                }, e -> {
                    if (question == asked) {
                        checks.say("The checks could not run: " + Failures.describe(e));
                    }
                });
    }

    /** What the checks and the config's validation said. */
    private record Answer(FileCheck check, List<ConfigException.Problem> problems) {
    }

    private void show(Answer answer) {
        checks.show(answer.check());
        // What the checks refuse about the path (a URL that does not parse, a hub mirrored already, Mirror: never for
        // a PostgreSQL hub) the config's validation would say again in its own words: said once, in the checks'.
        boolean pathRefused = !answer.check().usable();
        List<String> shown = answer.problems().stream().filter(p -> !(pathRefused && key(p).equals("path")))
                .map(DatabaseDialog::describe).toList();
        problems.setText(shown.isEmpty() ? " " : html(shown));
        usable = answer.check().usable() && answer.problems().isEmpty();
        ok.setEnabled(usable);
        pack();
    }

    /** A problem the config's validation found, named by the setting rather than by a line of a file not yet written. */
    private static String describe(ConfigException.Problem p) {
        String field = switch (key(p)) {
            case "name" -> "Name";
            case "path" -> "Database";
            case "sync_interval" -> "Sync every";
            case "enable_cache" -> "Mirror";
            case "conflict" -> "When both sides changed a row";
            case "mode" -> "Mode";
            default -> p.yamlPath().isEmpty() ? "Config file" : p.yamlPath();
        };
        return escape(field + ": " + p.message());
    }

    /** The setting a problem is about: the last part of its place in the file ("databases[0].path": path). */
    private static String key(ConfigException.Problem p) {
        return p.yamlPath().replaceAll(".*\\.", "");
    }

    private void accept() {
        if (!usable) {
            return;
        }
        DatabaseDraft draft = draft(SyncInterval.parse(interval.getText()));
        ok.setEnabled(false);
        SetupControl setup = commands.agent().setup();
        if (editing) {
            commands.background().run(() -> {
                setup.change(draft);
                return draft.name();
            }, n -> {
                commands.report(n + ": settings saved to the config file");
                dispose();
            }, this::failed);
            return;
        }
        CloneDialog progress = new CloneDialog(getOwner(), commands, draft);
        commands.background().run(() -> {
            setup.add(draft, progress);
            return draft.name();
        }, n -> {
            dispose();
            progress.start();
        }, this::failed);
    }

    private void failed(Throwable e) {
        problems.setText(html(List.of(escape(Failures.describe(e)).replace("\n", "<br>"))));
        ok.setEnabled(usable);
        pack();
    }

    private DatabaseDraft draft(Duration every) {
        return new DatabaseDraft(name.getText().strip(), path.getText().strip(), every, chosen(mirror), chosen(conflict),
                chosen(mode));
    }

    private void choose() {
        JFileChooser chooser = new JFileChooser(path.getText().isBlank() ? null : new File(path.getText()).getParentFile());
        chooser.setDialogTitle("The database file on the share");
        chooser.addChoosableFileFilter(new FileNameExtensionFilter("SQLite databases (*.db, *.sqlite, *.sqlite3, *.db3)",
                "db", "sqlite", "sqlite3", "db3"));
        if (chooser.showOpenDialog(this) == JFileChooser.APPROVE_OPTION) {
            path.setText(chooser.getSelectedFile().getAbsolutePath());
        }
    }

    // ------------------------------------------------------------------ building the form

    /** A label, then the field (stretched across when {@code after} is null and it is not a short one), then more. */
    private static void row(JPanel form, int y, String label, Component field, Component after) {
        GridBagConstraints c = new GridBagConstraints();
        c.gridy = y;
        c.insets = new Insets(3, 4, 3, 4);
        c.anchor = GridBagConstraints.NORTHWEST;
        form.add(new JLabel(label), c);
        c.gridx = 1;
        c.weightx = 1;
        boolean shortField = field instanceof JComboBox || field instanceof JTextField f && f.getColumns() < 20;
        c.fill = shortField ? GridBagConstraints.NONE : GridBagConstraints.HORIZONTAL;
        c.gridwidth = after == null ? 2 : 1;
        if (shortField && after != null) {
            JPanel both = new JPanel(new FlowLayout(FlowLayout.LEFT, 0, 0));
            both.add(field);
            both.add(javax.swing.Box.createHorizontalStrut(8));
            both.add(after);
            c.gridwidth = 2;
            form.add(both, c);
            return;
        }
        form.add(field, c);
        if (after != null) {
            c.gridx = 2;
            c.weightx = 0;
            c.fill = GridBagConstraints.NONE;
            form.add(after, c);
        }
    }

    private static JLabel hint(String text) {
        JLabel hint = new JLabel(text);
        hint.setForeground(UIManager.getColor("Label.disabledForeground"));
        return hint;
    }

    private static JTextField field(String name, int columns) {
        JTextField f = new JTextField(columns);
        f.setName(name);
        return f;
    }

    @SafeVarargs
    private static <T> JComboBox<Choice<T>> combo(String name, Choice<T>... choices) {
        JComboBox<Choice<T>> box = new JComboBox<>(choices);
        box.setName(name);
        return box;
    }

    private static <T> void select(JComboBox<Choice<T>> box, T value) {
        for (int i = 0; i < box.getItemCount(); i++) {
            if (box.getItemAt(i).value().equals(value)) {
                box.setSelectedIndex(i);
            }
        }
    }

    private static <T> T chosen(JComboBox<Choice<T>> box) {
        return box.getItemAt(box.getSelectedIndex()).value();
    }

    private static String escape(String s) {
        return FileCheckPanel.escape(s);
    }

    /** Lines of problems, wrapped to the form's width. */
    private static String html(List<String> lines) {
        return "<html><div style='width:520px'>" + String.join("<br>", lines) + "</div></html>";
    }

    @Override
    public void dispose() {
        recheck.stop();
        super.dispose();
    }
}
