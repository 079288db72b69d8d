package io.sharemirror.status;

import java.util.Locale;

/** File sizes as people read them: "812 B", "4.2 MB", "37 GB". */
public final class Sizes {

    private Sizes() {
    }

    /** "—" for an unknown (negative) size. */
    public static String bytes(long n) {
        if (n < 0) {
            return "—";
        }
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }
}
