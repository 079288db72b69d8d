package io.sharemirror.status;

import java.time.Duration;

/**
 * How far this computer's clock is from the file server's, as measured by the agent (the server's clock is the
 * reference time every desktop of a hub stamps its changes in). Over {@link #NOTICEABLE} the user is told, with what
 * to do: ShareMirror corrects its own stamps, but every other program on the computer still sees the wrong time.
 *
 * @param ahead this computer's clock minus the file server's (negative: behind)
 * @param error how far the measurement can be off
 */
public record ClockSkew(Duration ahead, Duration error) {

    /** Skews beyond this are shown in the status, the tray tooltip, the dashboard and one notification. */
    public static final Duration NOTICEABLE = Duration.ofSeconds(30);

    public static final String HINT = "Set this computer's date and time correctly (turn on setting the time"
            + " automatically); until then ShareMirror stamps this computer's changes with the file server's time";

    public boolean noticeable() {
        return ahead.abs().compareTo(NOTICEABLE) > 0;
    }

    /** "This computer's clock is 59 min ahead of the file server", or "... within 12 ms of ..." when it is close. */
    public String describe() {
        if (ahead.abs().compareTo(error.plusMillis(1)) <= 0) {
            return "This computer's clock is within " + span(error) + " of the file server";
        }
        return "This computer's clock is " + span(ahead.abs()) + (ahead.isNegative() ? " behind" : " ahead of")
                + " the file server";
    }

    /** A span as people say it: "12 ms", "5 s", "59 min", "1 h 5 min", "3 days". */
    public static String span(Duration d) {
        long ms = d.abs().toMillis();
        if (ms < 1_000) {
            return ms + " ms";
        }
        long s = Math.round(ms / 1000.0);
        if (s < 90) {
            return s + " s";
        }
        long min = Math.round(s / 60.0);
        if (min < 60) {
            return min + " min";
        }
        long hours = min / 60;
        if (hours < 48) {
            return hours + " h" + (min % 60 == 0 ? "" : " " + min % 60 + " min");
        }
        return Math.round(hours / 24.0) + " days";
    }
}
