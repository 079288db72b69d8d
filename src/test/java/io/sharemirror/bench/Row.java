package io.sharemirror.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** One line of the benchmark table: what was measured, against what, the target and whether this run met it. */
final class Row {

    enum Verdict { MET, MISSED, INFO }

    final String id;
    final String what;
    String shareMirror = "";
    String compared = "";
    String ratio = "";
    String shareOps = "";
    String target = "";
    Verdict verdict = Verdict.INFO;
    String note = "";
    /** Every number behind the row, by name: the CI run checks they are there and sane; the TSV keeps them. */
    final Map<String, Double> values = new LinkedHashMap<>();

    Row(String id, String what) {
        this.id = id;
        this.what = what;
    }

    Row value(String name, double v) {
        values.put(name, v);
        return this;
    }

    /** Sets the verdict from whether the target was met. */
    Row met(boolean met) {
        verdict = met ? Verdict.MET : Verdict.MISSED;
        return this;
    }

    /** A duration in the unit that reads best: microseconds, milliseconds or seconds. */
    static String time(double ms) {
        if (ms < 1) {
            return String.format(Locale.ROOT, "%.1f µs", ms * 1000);
        } else if (ms < 1000) {
            return String.format(Locale.ROOT, ms < 10 ? "%.2f ms" : "%.0f ms", ms);
        }
        return String.format(Locale.ROOT, "%.2f s", ms / 1000);
    }

    static String times(double ratio) {
        return String.format(Locale.ROOT, ratio < 10 ? "%.2f×" : "%,.0f×", ratio);
    }

    static String number(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%,.1f", v);
    }
}
