package io.tributary.server.config;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Monibuca cluster plugin's names for the peers-mode settings ({@code cluster.sync.*}, snake_case,
 * intervals in bare seconds), accepted in the YAML file so that its configuration can be copied as it is.
 * Each alias is translated into the key (or keys) it stands for; giving both an alias and its key is an
 * error, as giving a key twice is.
 */
final class SeedAliases {
    static final String GROUP = "cluster.sync";

    /** What one alias becomes: its keys with their values as a flag would write them, or a list's items. */
    private record Alias(String name, List<String> keys, Function<String, Map<String, String>> translate) {
    }

    private static final Map<String, Alias> ALIASES = new LinkedHashMap<>();

    static {
        add("enabled", List.of(ConfigKeys.CLUSTER_STORE.name()), text -> {
            if (!"true".equalsIgnoreCase(text.trim()) && !"false".equalsIgnoreCase(text.trim())) {
                throw new IllegalArgumentException("expected true or false");
            }
            // enabled: false means "no HTTP sync": the store stays whatever else says.
            return "true".equalsIgnoreCase(text.trim()) ? Map.of(ConfigKeys.CLUSTER_STORE.name(), "peers") : Map.of();
        });
        same("server_id", ConfigKeys.NODE_ID.name());
        add("address", List.of(ConfigKeys.INTERNAL_ADDRESS.name(), ConfigKeys.HTTP_PORT.name()), text -> {
            String t = text.trim();
            int colon = t.lastIndexOf(':');
            if (colon <= 0 || colon == t.length() - 1 || (t.indexOf(':') != colon && !t.startsWith("["))) {
                throw new IllegalArgumentException("expected host:port, the address other nodes reach this node's "
                        + "HTTP port at");
            }
            String host = t.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return ordered(ConfigKeys.INTERNAL_ADDRESS.name(), host, ConfigKeys.HTTP_PORT.name(),
                    t.substring(colon + 1));
        });
        same("seed_servers", ConfigKeys.CLUSTER_SEEDS.name());
        seconds("heartbeat_interval", ConfigKeys.CLUSTER_HEARTBEAT_PERIOD.name());
        seconds("sync_interval", ConfigKeys.CLUSTER_SYNC_PERIOD.name());
        seconds("heartbeat_ttl", ConfigKeys.CLUSTER_HEARTBEAT_TTL.name());
        same("suspect_threshold", ConfigKeys.CLUSTER_SUSPECT_AFTER.name());
        same("offline_threshold", ConfigKeys.CLUSTER_DEAD_AFTER.name());
        same("internal_api_key", ConfigKeys.CLUSTER_API_KEY.name());
    }

    private SeedAliases() {
    }

    /** Whether {@code name} is an alias ({@code cluster.sync.seed_servers}). */
    static boolean isAlias(String name) {
        return ALIASES.containsKey(name);
    }

    /** Whether {@code name} is the group the aliases live in. */
    static boolean isGroup(String name) {
        return name.equals(GROUP);
    }

    /** The key(s) an alias stands for, for messages. */
    static Optional<List<String>> keysOf(String name) {
        return Optional.ofNullable(ALIASES.get(name)).map(Alias::keys);
    }

    /** Every alias and the keys it sets, in the order the seed lists them (for the docs test). */
    static Map<String, List<String>> all() {
        Map<String, List<String>> all = new LinkedHashMap<>();
        ALIASES.forEach((name, a) -> all.put(name, a.keys()));
        return all;
    }

    /**
     * The values an alias sets, by key name, as given in {@code source}.
     *
     * @param text the scalar value, or null for a list
     * @param items the list's items, or null for a scalar
     * @throws ConfigException naming the alias when its value cannot be translated
     */
    static Map<String, RawValue> translate(String name, String text, List<String> items, ConfigSource source) {
        Alias alias = ALIASES.get(name);
        ConfigSource as = new ConfigSource(source.kind(), source.where() + ", as " + name);
        if (items != null) {
            if (alias.keys().size() != 1 || !ConfigKeys.find(alias.keys().get(0)).orElseThrow().type().isList()) {
                throw new ConfigException(name + " in " + source + " is a list; expected a single value");
            }
            return Map.of(alias.keys().get(0), RawValue.items(items, as));
        }
        Map<String, String> texts;
        try {
            texts = alias.translate().apply(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + " in " + source + " is \"" + text + "\": " + e.getMessage());
        }
        Map<String, RawValue> values = new LinkedHashMap<>();
        texts.forEach((key, value) -> values.put(key, RawValue.text(value, as)));
        return values;
    }

    private static void same(String seedName, String key) {
        add(seedName, List.of(key), text -> Map.of(key, text));
    }

    /** The seed writes intervals as seconds ({@code 5}, {@code 0.5}); a value with a unit passes as it is. */
    private static void seconds(String seedName, String key) {
        add(seedName, List.of(key), text -> Map.of(key, secondsToDuration(text.trim())));
    }

    static String secondsToDuration(String text) {
        if (!text.matches("\\d+(\\.\\d+)?")) {
            return text;
        }
        BigDecimal millis = new BigDecimal(text).movePointRight(3);
        if (millis.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("expected seconds in steps of 1 ms");
        }
        return millis.toBigIntegerExact() + "ms";
    }

    private static void add(String seedName, List<String> keys, Function<String, Map<String, String>> translate) {
        String name = GROUP + "." + seedName;
        ALIASES.put(name, new Alias(name, keys, translate));
    }

    private static Map<String, String> ordered(String k1, String v1, String k2, String v2) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }
}
