package io.tributary.bench.run;

import java.util.Locale;

/** How numbers read in the output: one unit per quantity, fixed decimals, "-" for "not measured". */
final class Format {
    private Format() {
    }

    static String percent(double p) {
        return Double.isNaN(p) ? "-" : String.format(Locale.ROOT, "%.1f%%", p);
    }

    static String megabytes(long kb) {
        return String.format(Locale.ROOT, "%.0f MB", kb / 1024.0);
    }

    static String kilobytes(double kb) {
        return String.format(Locale.ROOT, "%.1f KB", kb);
    }

    static String gbps(double bitsPerSecond) {
        return String.format(Locale.ROOT, "%.3f Gbit/s", bitsPerSecond / 1e9);
    }

    static String ms(double millis) {
        if (Double.isNaN(millis)) {
            return "-";
        }
        return millis < 10 ? String.format(Locale.ROOT, "%.2f ms", millis)
                : String.format(Locale.ROOT, "%.0f ms", millis);
    }

    /** 500ms, 20s, 2m: the form the options take. */
    static String duration(java.time.Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        long s = d.toSeconds();
        return s != 0 && s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    static String number(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
