package io.tributary.server.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * How one kind of configuration value is read from text and written back. Parsers throw
 * {@link IllegalArgumentException} whose message says what is expected; {@link ConfigKey} adds the key
 * and the source.
 */
public final class ValueType<T> {
    private final String name;
    private final String expected;
    private final Function<String, T> parser;
    private final Function<List<String>, T> itemsParser;
    private final Function<T, String> formatter;

    private ValueType(String name, String expected, Function<String, T> parser,
                      Function<List<String>, T> itemsParser, Function<T, String> formatter) {
        this.name = name;
        this.expected = expected;
        this.parser = parser;
        this.itemsParser = itemsParser;
        this.formatter = formatter;
    }

    private static <T> ValueType<T> scalar(String name, String expected, Function<String, T> parser,
                                           Function<T, String> formatter) {
        return new ValueType<>(name, expected, parser, null, formatter);
    }

    public static ValueType<String> string() {
        return scalar("string", "expected a string", text -> text, text -> text);
    }

    public static ValueType<String> nonEmptyString() {
        String expected = "expected a non-empty string";
        return scalar("string", expected, text -> require(text, !text.isBlank(), expected), t -> t);
    }

    /** A string that must match {@code pattern}, described as {@code what} ("up to 64 letters"). */
    public static ValueType<String> matching(String pattern, String what) {
        Pattern compiled = Pattern.compile(pattern);
        String expected = "expected " + what;
        return scalar("string", expected, text -> require(text, compiled.matcher(text).matches(), expected), t -> t);
    }

    /** One of a fixed set of words, case-insensitively; the value is the upper-case spelling. */
    public static ValueType<String> oneOf(String... choices) {
        Set<String> allowed = Set.of(choices);
        String expected = "expected one of " + String.join(", ", choices);
        return scalar("string", expected, text -> {
            String upper = text.trim().toUpperCase(Locale.ROOT);
            return require(upper, allowed.contains(upper), expected);
        }, t -> t);
    }

    public static ValueType<Integer> integer(int min, int max) {
        String expected = "expected an integer from " + min + " to " + max;
        return scalar("int", expected, text -> {
            try {
                int value = Integer.parseInt(text.trim());
                return require(value, value >= min && value <= max, expected);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(expected);
            }
        }, String::valueOf);
    }

    public static ValueType<Boolean> bool() {
        return scalar("boolean", "expected true or false", text -> switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        }, String::valueOf);
    }

    public static ValueType<Duration> duration() {
        return scalar("duration", Durations.EXPECTED, Durations::parse, Durations::format);
    }

    public static ValueType<Long> size() {
        return scalar("size", Sizes.EXPECTED, Sizes::parse, Sizes::format);
    }

    public static ValueType<Path> path() {
        return scalar("path", "expected a path", text -> {
            try {
                return Path.of(require(text, !text.isBlank(), "expected a path"));
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("expected a path (" + e.getReason() + ")");
            }
        }, Path::toString);
    }

    /**
     * A non-empty list of distinct names matching {@code itemPattern}: a YAML list in a file,
     * comma-separated in environment variables and flags.
     */
    public static ValueType<List<String>> list(String itemPattern, String expectedItem) {
        Pattern compiled = Pattern.compile(itemPattern);
        Function<List<String>, List<String>> items = raw -> {
            Set<String> seen = new LinkedHashSet<>();
            for (String item : raw) {
                String trimmed = item.trim();
                if (trimmed.isEmpty()) {
                    continue;
                }
                if (!compiled.matcher(trimmed).matches()) {
                    throw new IllegalArgumentException("\"" + trimmed + "\" is not allowed: expected " + expectedItem);
                }
                if (!seen.add(trimmed)) {
                    throw new IllegalArgumentException("\"" + trimmed + "\" is listed twice");
                }
            }
            require(seen, !seen.isEmpty(), "expected at least one of " + expectedItem);
            return List.copyOf(seen);
        };
        return new ValueType<>("list", "expected a list of " + expectedItem,
                text -> items.apply(Arrays.asList(text.split(","))), items, values -> String.join(",", values));
    }

    /** How the docs and {@code --help} name this type. */
    public String name() {
        return name;
    }

    /** What a value of this type looks like, as error messages say it ("expected an integer from 0 to 65535"). */
    public String expected() {
        return expected;
    }

    public boolean isList() {
        return itemsParser != null;
    }

    T parse(String text) {
        return parser.apply(text);
    }

    T parseItems(List<String> items) {
        if (itemsParser == null) {
            throw new IllegalArgumentException(expected + ", not a list");
        }
        return itemsParser.apply(new ArrayList<>(items));
    }

    @SuppressWarnings("unchecked")
    String format(Object value) {
        return formatter.apply((T) value);
    }

    private static <V> V require(V value, boolean ok, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(expected);
        }
        return value;
    }
}
