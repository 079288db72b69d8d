package io.sharemirror.platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * macOS: a LaunchAgent property list in the user's LaunchAgents folder, which launchd loads at login.
 * {@code RunAtLoad} starts it once per login; there is deliberately no {@code KeepAlive}, so Quit from the
 * tray stays quit instead of launchd restarting the app.
 */
final class MacLaunchAgent extends LoginItemFile {

    static final String LABEL = "io.sharemirror.ShareMirror";

    MacLaunchAgent(Path folder) {
        super(folder.resolve(LABEL + ".plist"));
    }

    @Override
    public boolean isEnabled() {
        return Files.exists(file);
    }

    /** The plist only: launchd reads it at the next login (loading it now would start a second copy). */
    @Override
    String content(LaunchCommand command) {
        return plist(command);
    }

    static String plist(LaunchCommand command) {
        String arguments = command.arguments().stream()
                .map(a -> "\t\t<string>" + xml(a) + "</string>\n")
                .collect(Collectors.joining());
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
                <plist version="1.0">
                <dict>
                \t<key>Label</key>
                \t<string>%s</string>
                \t<key>ProgramArguments</key>
                \t<array>
                %s\t</array>
                \t<key>RunAtLoad</key>
                \t<true/>
                </dict>
                </plist>
                """.formatted(LABEL, arguments);
    }

    /** Escapes XML's markup characters; refuses control characters, which XML 1.0 cannot carry at all. */
    static String xml(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        throw new IllegalArgumentException("cannot write a LaunchAgent for '" + text
                                + "': it holds control character U+" + String.format("%04X", (int) c)
                                + ", which a property list cannot contain");
                    }
                    out.append(c);
                }
            }
        }
        return out.toString();
    }
}
