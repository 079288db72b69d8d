package io.sharemirror.platform;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what {@code reg query <key> /v <name>} printed. */
final class RegOutput {

    /** {@code    <name>    <REG_TYPE>    <data>}; the data may be missing for an empty string. */
    private static final Pattern VALUE_LINE = Pattern.compile("^\\s+(.+?)\\s+(REG_[A-Z_]+)(?:\\s+(.*?))?\\s*$");

    private RegOutput() {
    }

    /** The data of value {@code name} (e.g. "0x0", "02000000...", a string), or empty if it was not listed. */
    static Optional<String> value(String output, String name) {
        for (String line : output.split("\\R")) {
            Matcher m = VALUE_LINE.matcher(line);
            if (m.matches() && m.group(1).equalsIgnoreCase(name)) {
                return Optional.of(m.group(3) == null ? "" : m.group(3));
            }
        }
        return Optional.empty();
    }
}
