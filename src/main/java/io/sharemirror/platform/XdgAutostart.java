package io.sharemirror.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Linux and other freedesktop.org desktops: a Desktop Entry in the autostart folder, which the session
 * starts at login (XDG Autostart spec). GNOME's "Startup Applications" and KDE's "Autostart" list it.
 */
final class XdgAutostart extends LoginItemFile {

    static final String FILE_NAME = "io.sharemirror.ShareMirror.desktop";
    /** Characters that make the Desktop Entry spec require an Exec argument to be quoted. */
    private static final String RESERVED = " \t\n\"'\\><~|&;$*?#()`";

    XdgAutostart(Path folder) {
        super(folder.resolve(FILE_NAME));
    }

    @Override
    public boolean isEnabled() throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        // Desktop settings switch an entry off without deleting it, with either of these keys.
        Map<String, String> entry = desktopEntryKeys(Files.readAllLines(file, StandardCharsets.UTF_8));
        return !"true".equals(entry.get("Hidden")) && !"false".equals(entry.get("X-GNOME-Autostart-enabled"));
    }

    @Override
    String content(LaunchCommand command) {
        return entry(command);
    }

    static String entry(LaunchCommand command) {
        return """
                [Desktop Entry]
                Type=Application
                Name=ShareMirror
                Comment=Keeps SQLite databases on network shares mirrored on this computer
                Exec=%s
                Terminal=false
                X-GNOME-Autostart-enabled=true
                """.formatted(exec(command.arguments()));
    }

    /** The Exec value: each argument quoted as the spec's "The Exec key" section says, then string-escaped. */
    static String exec(List<String> arguments) {
        if (arguments.get(0).indexOf('=') >= 0) {
            throw new IllegalArgumentException("cannot write an autostart entry for '" + arguments.get(0)
                    + "': the Desktop Entry spec allows no '=' in the program's path; install ShareMirror elsewhere");
        }
        return arguments.stream().map(XdgAutostart::quote).map(XdgAutostart::escapeString)
                .collect(Collectors.joining(" "));
    }

    /** Quotes an argument that holds a reserved character, escaping " ` $ \ inside; doubles % (field codes). */
    static String quote(String argument) {
        boolean quoted = argument.isEmpty() || argument.chars().anyMatch(c -> RESERVED.indexOf(c) >= 0);
        StringBuilder out = new StringBuilder(argument.length() + 2);
        if (quoted) {
            out.append('"');
        }
        for (char c : argument.toCharArray()) {
            if (quoted && "\"`$\\".indexOf(c) >= 0) {
                out.append('\\');
            } else if (c == '%') {
                out.append('%');
            }
            out.append(c);
        }
        return quoted ? out.append('"').toString() : out.toString();
    }

    /** The escapes of every string value, which readers undo before the Exec quoting. */
    private static String escapeString(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r");
    }

    /** The keys of the [Desktop Entry] group (other groups, comments and blank lines skipped). */
    private static Map<String, String> desktopEntryKeys(List<String> lines) {
        Map<String, String> keys = new HashMap<>();
        boolean inGroup = false;
        for (String line : lines) {
            String l = line.strip();
            if (l.startsWith("[")) {
                inGroup = l.equals("[Desktop Entry]");
            } else if (inGroup && !l.startsWith("#") && l.indexOf('=') > 0) {
                int eq = l.indexOf('=');
                keys.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
            }
        }
        return keys;
    }
}
