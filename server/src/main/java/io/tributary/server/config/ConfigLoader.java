package io.tributary.server.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves every key from its sources in increasing precedence: default, YAML file, environment,
 * command line. Every given value is checked, even one a higher source overrides, so that a broken file
 * fails today rather than on the day the flag that hid it is removed.
 */
final class ConfigLoader {
    /** Variables with the TRIBUTARY_ prefix that the launcher reads, not the node. */
    private static final Set<String> LAUNCHER_VARIABLES = Set.of("TRIBUTARY_JAVA_OPTS");

    private final Map<String, NodeConfig.Setting> settings = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();

    ConfigLoader() {
        for (ConfigKey<?> key : ConfigKeys.all()) {
            settings.put(key.name(), new NodeConfig.Setting(key.defaultValue(), ConfigSource.DEFAULT));
        }
    }

    ConfigLoader file(Path file) {
        if (file != null) {
            YamlConfigFile.read(file).forEach(this::apply);
        }
        return this;
    }

    ConfigLoader environment(Map<String, String> env) {
        for (ConfigKey<?> key : ConfigKeys.all()) {
            String value = env.get(key.envName());
            // Compose files and shell scripts often write VAR= to mean "not set".
            if (value != null && !value.isEmpty()) {
                apply(key.name(), RawValue.text(value, ConfigSource.env(key.envName())));
            }
        }
        Set<String> known = new HashSet<>(LAUNCHER_VARIABLES);
        ConfigKeys.all().forEach(key -> known.add(key.envName()));
        env.keySet().stream().filter(name -> name.startsWith("TRIBUTARY_") && !known.contains(name)).sorted()
                .forEach(name -> warnings.add("environment variable " + name + " is not a configuration key"));
        return this;
    }

    /** Command-line values by key name; {@code flagsByKey} says how each was given, for error messages. */
    ConfigLoader commandLine(Map<String, String> valuesByKey, Map<String, String> flagsByKey) {
        valuesByKey.forEach((name, value) -> {
            ConfigKey<?> key = ConfigKeys.find(name).orElseThrow(() -> new ConfigException(
                    "unknown key " + name + " on the command line" + KeyNames.suggestion(name)));
            String flag = flagsByKey.getOrDefault(name,
                    key.cliFlag().orElse("--set " + name));
            apply(name, RawValue.text(value, ConfigSource.flag(flag)));
        });
        return this;
    }

    ConfigLoader override(String name, String value) {
        ConfigKeys.find(name).orElseThrow(() -> new ConfigException("unknown key " + name + KeyNames.suggestion(name)));
        apply(name, RawValue.text(value, ConfigSource.OVERRIDE));
        return this;
    }

    ConfigLoader from(NodeConfig base) {
        settings.putAll(base.settings());
        warnings.addAll(base.warnings());
        return this;
    }

    NodeConfig build() {
        return new NodeConfig(settings, warnings);
    }

    private void apply(String name, RawValue raw) {
        ConfigKey<?> key = ConfigKeys.find(name).orElseThrow();
        settings.put(name, new NodeConfig.Setting(raw.parse(key), raw.source()));
    }
}
