package io.sharemirror.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The bounds of a sync interval, and the text people type for one (config file and Custom… dialog alike). */
public final class SyncInterval {

    public static final int MIN_SECONDS = 1;
    public static final int MAX_SECONDS = 86_400;

    private static final Pattern TEXT = Pattern.compile("(\\d{1,6})\\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?)?");
    private static final String ALLOWED = "write whole seconds (45) or a number with a unit (45 s, 5 min, 2 h),"
            + " from " + MIN_SECONDS + " s to 24 h";

    private SyncInterval() {
    }

    /** Parses "45", "45s", "5 min", "2h"; the message of the exception names what is wrong and what is allowed. */
    public static Duration parse(String text) {
        String trimmed = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("no interval given; " + ALLOWED);
        }
        Matcher m = TEXT.matcher(trimmed);
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text.trim() + "\" is not an interval; " + ALLOWED);
        }
        String unit = m.group(2) == null ? "s" : m.group(2).substring(0, 1);
        long seconds = Long.parseLong(m.group(1)) * switch (unit) {
            case "h" -> 3600;
            case "m" -> 60;
            default -> 1;
        };
        if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
            throw new IllegalArgumentException("\"" + text.trim() + "\" is out of range; " + ALLOWED);
        }
        return Duration.ofSeconds(seconds);
    }

    /** The shortest text {@link #parse} reads back as the same interval: "45 s", "5 min", "2 h". */
    public static String format(Duration interval) {
        long s = interval.toSeconds();
        return s % 3600 == 0 ? s / 3600 + " h" : s % 60 == 0 ? s / 60 + " min" : s + " s";
    }
}
