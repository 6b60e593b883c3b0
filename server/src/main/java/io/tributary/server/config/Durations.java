package io.tributary.server.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and writes durations the way configuration spells them: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}. */
public final class Durations {
    static final String EXPECTED = "expected a duration such as 500ms, 5s, 2m or 1h";
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,15})\\s*(ms|s|m|h)");

    private Durations() {
    }

    /** @throws IllegalArgumentException with a message that says what to write instead */
    public static Duration parse(String text) {
        String trimmed = text.trim();
        if (trimmed.matches("\\d+")) {
            // A bare number is the most common mistake, and guessing its unit is how timeouts end up 1000x off.
            throw new IllegalArgumentException("write a unit, e.g. 5s or 500ms");
        }
        Matcher m = FORMAT.matcher(trimmed);
        if (!m.matches()) {
            throw new IllegalArgumentException(EXPECTED);
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    /** The shortest spelling {@link #parse} reads back to the same duration (sub-millisecond parts are dropped). */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis != 0 && millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis != 0 && millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
