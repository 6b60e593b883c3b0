package io.tributary.server.config;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes byte sizes: a plain number of bytes, binary units ({@code 64KiB}, {@code 8MiB},
 * {@code 1GiB}) or decimal ones ({@code 500KB}, {@code 2MB}), because operators copy both from elsewhere.
 */
public final class Sizes {
    static final String EXPECTED = "expected a size such as 65536, 64KiB, 8MiB or 1GiB";
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,18})\\s*([A-Za-z]*)");
    private static final Map<String, Long> UNITS = Map.of(
            "", 1L, "b", 1L,
            "kib", 1L << 10, "mib", 1L << 20, "gib", 1L << 30, "tib", 1L << 40,
            "kb", 1_000L, "mb", 1_000_000L, "gb", 1_000_000_000L, "tb", 1_000_000_000_000L);
    private static final String[] BINARY = {"TiB", "GiB", "MiB", "KiB"};
    private static final String[] DECIMAL = {"TB", "GB", "MB", "KB"};

    private Sizes() {
    }

    /** @throws IllegalArgumentException when the text is not a size or does not fit in a long */
    public static long parse(String text) {
        Matcher m = FORMAT.matcher(text.trim());
        Long unit = m.matches() ? UNITS.get(m.group(2).toLowerCase(Locale.ROOT)) : null;
        if (unit == null) {
            throw new IllegalArgumentException(EXPECTED);
        }
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("size is too large");
        }
    }

    /** The largest whole unit, binary first, so that defaults print as they are written ({@code 8MiB}). */
    public static String format(long bytes) {
        if (bytes == 0) {
            return "0";
        }
        for (int i = 0; i < BINARY.length; i++) {
            long unit = 1L << (10 * (BINARY.length - i));
            if (bytes % unit == 0) {
                return bytes / unit + BINARY[i];
            }
        }
        for (int i = 0; i < DECIMAL.length; i++) {
            long unit = (long) Math.pow(1000, DECIMAL.length - i);
            if (bytes % unit == 0) {
                return bytes / unit + DECIMAL[i];
            }
        }
        return Long.toString(bytes);
    }
}
