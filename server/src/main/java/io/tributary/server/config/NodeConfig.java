package io.tributary.server.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The resolved, immutable configuration of one node: a value for every key in {@link ConfigKeys},
 * and where each value came from.
 */
public final class NodeConfig {
    /** A parsed value and its source. */
    record Setting(Object value, ConfigSource source) {
    }

    private final Map<String, Setting> settings;
    private final List<String> warnings;

    NodeConfig(Map<String, Setting> settings, List<String> warnings) {
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Resolves the configuration: command line over environment over file over default.
     *
     * @param configFileOrNull the YAML file given with {@code --config}, or {@code null}
     * @param env              environment variables; only {@code TRIBUTARY_*} ones are read
     * @param cliValuesByKey   values given on the command line, by key name ({@code rtmp.port})
     * @throws ConfigException naming the key, the source and what is expected
     */
    public static NodeConfig load(Path configFileOrNull, Map<String, String> env, Map<String, String> cliValuesByKey)
            throws ConfigException {
        return load(configFileOrNull, env, cliValuesByKey, Map.of());
    }

    /** As {@link #load(Path, Map, Map)}, with the flag each command-line value was given as, for messages. */
    public static NodeConfig load(Path configFileOrNull, Map<String, String> env, Map<String, String> cliValuesByKey,
                                  Map<String, String> cliFlagsByKey) throws ConfigException {
        return new ConfigLoader().file(configFileOrNull).environment(env)
                .commandLine(cliValuesByKey, cliFlagsByKey).build();
    }

    /** Every key at its default. */
    public static NodeConfig defaults() {
        return new ConfigLoader().build();
    }

    /** A copy with {@code key} set to {@code value}, parsed as a flag would be. */
    public NodeConfig with(String key, String value) throws ConfigException {
        return new ConfigLoader().from(this).override(key, value).build();
    }

    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        return (T) setting(key).value();
    }

    /** Where the value of {@code key} came from. */
    public ConfigSource source(ConfigKey<?> key) {
        return setting(key).source();
    }

    public String host() {
        return get(ConfigKeys.HOST);
    }

    public int rtmpPort() {
        return get(ConfigKeys.RTMP_PORT);
    }

    public int httpPort() {
        return get(ConfigKeys.HTTP_PORT);
    }

    public Path dataDir() {
        return get(ConfigKeys.DATA_DIR);
    }

    /** The configured node id; when empty the node generates one and keeps it in {@link #dataDir()}. */
    public Optional<String> nodeId() {
        return Optional.ofNullable(get(ConfigKeys.NODE_ID));
    }

    public List<String> apps() {
        return get(ConfigKeys.APPS);
    }

    /** Things worth telling the operator that do not stop the node, such as unknown TRIBUTARY_ variables. */
    public List<String> warnings() {
        return warnings;
    }

    /** One {@code key = value (source)} line per key, in registry order. */
    public String describe() {
        return ConfigKeys.all().stream().map(this::describe).collect(Collectors.joining("\n"));
    }

    /** The {@code key = value (source)} lines of keys that are not at their default. */
    public List<String> describeChanged() {
        return ConfigKeys.all().stream().filter(key -> source(key).kind() != ConfigSource.Kind.DEFAULT)
                .map(this::describe).toList();
    }

    private String describe(ConfigKey<?> key) {
        String text = key.format(get(key));
        if (text == null) {
            text = "(not set)";
        } else if (key.isSecret()) {
            text = "(secret, " + text.length() + " characters)";
        } else if (text.isEmpty()) {
            text = "\"\"";
        }
        return key.name() + " = " + text + " (" + source(key) + ")";
    }

    Map<String, Setting> settings() {
        return settings;
    }

    private Setting setting(ConfigKey<?> key) {
        Setting setting = settings.get(key.name());
        if (setting == null) {
            throw new IllegalArgumentException(key + " is not registered in ConfigKeys");
        }
        return setting;
    }

    @Override
    public String toString() {
        return describe();
    }
}
