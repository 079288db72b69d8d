package io.sharemirror.platform;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Builds Windows command lines the way the Microsoft C runtime splits them (as reg.exe, java.exe and
 * jpackage's launcher do): an argument with a space, tab or quote goes in double quotes, a quote inside
 * becomes \", and backslashes are doubled only where they precede a quote.
 */
final class WindowsCommandLine {

    private WindowsCommandLine() {
    }

    /** The arguments as one command line, e.g. for a Run registry value. */
    static String join(List<String> arguments) {
        return arguments.stream().map(a -> quote(a, false)).collect(Collectors.joining(" "));
    }

    /**
     * One argument, always in quotes. Java's ProcessBuilder on Windows passes an argument that already starts
     * and ends with a quote through unchanged, so this is exactly what the child receives.
     */
    static String quoteAlways(String argument) {
        return quote(argument, true);
    }

    private static String quote(String argument, boolean always) {
        if (!always && !argument.isEmpty() && argument.chars().noneMatch(c -> c == ' ' || c == '\t' || c == '"')) {
            return argument;
        }
        StringBuilder out = new StringBuilder(argument.length() + 2).append('"');
        int backslashes = 0;
        for (char c : argument.toCharArray()) {
            if (c == '\\') {
                backslashes++;
                continue;
            }
            // backslashes before a quote are doubled, and the quote escaped; elsewhere they are literal
            out.append("\\".repeat(c == '"' ? backslashes * 2 + 1 : backslashes)).append(c);
            backslashes = 0;
        }
        return out.append("\\".repeat(backslashes * 2)).append('"').toString();
    }
}
