package io.tributary.server.config;

import java.util.List;

/** A value as a source gave it, before it is parsed: text, or the items of a YAML list. */
record RawValue(String text, List<String> items, ConfigSource source) {

    static RawValue text(String text, ConfigSource source) {
        return new RawValue(text, null, source);
    }

    static RawValue items(List<String> items, ConfigSource source) {
        return new RawValue(null, List.copyOf(items), source);
    }

    Object parse(ConfigKey<?> key) {
        return items == null ? key.parse(text, source) : key.parseItems(items, source);
    }
}
