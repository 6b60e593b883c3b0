package io.tributary.server.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One configuration key: its dotted name, type, default, meaning and optional command-line flag. The
 * environment variable name is derived from the name so that the two can never disagree.
 */
public final class ConfigKey<T> {
    private final String name;
    private final ValueType<T> type;
    private final T defaultValue;
    private final String description;
    private final String flag;
    private final boolean secret;

    private ConfigKey(String name, ValueType<T> type, T defaultValue, String description, String flag,
                      boolean secret) {
        if (!name.matches("[a-z][A-Za-z0-9]*(\\.[a-z][A-Za-z0-9]*)*")) {
            throw new IllegalArgumentException("config key names are dotted camelCase: " + name);
        }
        this.name = name;
        this.type = type;
        this.defaultValue = defaultValue;
        this.description = description;
        this.flag = flag;
        this.secret = secret;
    }

    /**
     * A key whose default is written as an operator would write it ({@code "8MiB"}), or {@code null} for a
     * key that has no value unless one is given.
     */
    public static <T> ConfigKey<T> of(String name, ValueType<T> type, String defaultText, String description) {
        T defaultValue = null;
        if (defaultText != null) {
            try {
                defaultValue = type.parse(defaultText);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("default of " + name + ": " + e.getMessage(), e);
            }
        }
        return new ConfigKey<>(name, type, defaultValue, description, null, false);
    }

    /** A copy that can also be given as {@code flag} on the command line. */
    public ConfigKey<T> flag(String flag) {
        if (!flag.matches("--[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("flags are --kebab-case: " + flag);
        }
        return new ConfigKey<>(name, type, defaultValue, description, flag, secret);
    }

    /** A copy whose value is never printed (--print-config, start-up log, error messages). */
    public ConfigKey<T> secret() {
        return new ConfigKey<>(name, type, defaultValue, description, flag, true);
    }

    public boolean isSecret() {
        return secret;
    }

    public String name() {
        return name;
    }

    public ValueType<T> type() {
        return type;
    }

    /** The default, or {@code null} when the key has none. */
    public T defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    public Optional<String> cliFlag() {
        return Optional.ofNullable(flag);
    }

    /** {@code rtmp.maxMessageSize} is read from {@code TRIBUTARY_RTMP_MAX_MESSAGE_SIZE}. */
    public String envName() {
        return envName(name);
    }

    static String envName(String keyName) {
        String snake = keyName.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_');
        return "TRIBUTARY_" + snake.toUpperCase(Locale.ROOT);
    }

    /** Parses text given by {@code source}; the exception names the key, the source and what is expected. */
    T parse(String text, ConfigSource source) {
        try {
            return type.parse(text);
        } catch (IllegalArgumentException e) {
            throw invalid(source, "\"" + text + "\"", e.getMessage());
        }
    }

    /** Parses the items of a YAML list. */
    T parseItems(List<String> items, ConfigSource source) {
        try {
            return type.parseItems(items);
        } catch (IllegalArgumentException e) {
            throw invalid(source, items.toString(), e.getMessage());
        }
    }

    ConfigException invalid(ConfigSource source, String given, String problem) {
        if (secret) {
            // Parsers quote what they were given; a secret's value must not reach a log or terminal.
            return new ConfigException(name + " from " + source + " is (secret): "
                    + problem.replaceAll("\"[^\"]*\"", "a value"));
        }
        return new ConfigException(name + " from " + source + " is " + given + ": " + problem);
    }

    /** The value written as {@link #parse} reads it, or {@code null}. */
    public String format(Object value) {
        return value == null ? null : type.format(value);
    }

    @Override
    public String toString() {
        return name;
    }
}
