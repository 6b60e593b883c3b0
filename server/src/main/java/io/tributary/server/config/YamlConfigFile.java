package io.tributary.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the YAML configuration file into raw values by key name. Groups may be nested
 * ({@code rtmp: {port: 1935}}) or written as dotted keys ({@code rtmp.port: 1935}); anything that is
 * not a known key is an error, because a misspelt key that is silently ignored is worse than none.
 */
final class YamlConfigFile {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final ConfigSource source;
    private final Map<String, RawValue> values = new LinkedHashMap<>();

    private YamlConfigFile(Path file) {
        this.source = ConfigSource.file(file.toString());
    }

    static Map<String, RawValue> read(Path file) {
        YamlConfigFile reader = new YamlConfigFile(file);
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (JsonProcessingException e) {
            throw new ConfigException("config file " + file + " is not valid YAML: " + oneLine(e));
        } catch (IOException e) {
            throw new ConfigException("config file " + file + " cannot be read: " + e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return Map.of();
        }
        if (!root.isObject()) {
            throw new ConfigException("config file " + file + " must be a mapping of keys to values");
        }
        reader.readGroup("", root);
        return reader.values;
    }

    private void readGroup(String prefix, JsonNode group) {
        for (Map.Entry<String, JsonNode> field : group.properties()) {
            String name = prefix + field.getKey();
            JsonNode node = field.getValue();
            var key = ConfigKeys.find(name);
            if (key.isPresent()) {
                readValue(key.get(), node);
            } else if (SeedAliases.isAlias(name)) {
                readAlias(name, node);
            } else if ((isGroup(name) || SeedAliases.isGroup(name)) && (node.isObject() || node.isNull())) {
                readGroup(name + ".", node);
            } else if (isGroup(name)) {
                throw new ConfigException(name + " in " + source + " is a group of keys (such as " + name
                        + "." + firstInGroup(name) + "), not a value");
            } else {
                throw new ConfigException("unknown key " + name + " in " + source + KeyNames.suggestion(name));
            }
        }
    }

    private void readValue(ConfigKey<?> key, JsonNode node) {
        if (node.isNull()) {
            return; // "key:" with nothing after it means "not set here", as it does in most YAML tools
        }
        RawValue raw;
        if (node.isArray()) {
            raw = RawValue.items(items(node, () -> key.invalid(source, "a nested list or mapping",
                    key.type().expected())), source);
        } else if (node.isObject()) {
            throw key.invalid(source, "a mapping", key.type().expected());
        } else {
            raw = RawValue.text(node.asText(), source);
        }
        put(key, raw);
    }

    /** One of the Monibuca seed's names ({@code cluster.sync.seed_servers}), set as the key(s) it stands for. */
    private void readAlias(String name, JsonNode node) {
        if (node.isNull()) {
            return;
        }
        if (node.isObject()) {
            throw new ConfigException(name + " in " + source + " is a mapping; expected a value");
        }
        Map<String, RawValue> translated = node.isArray()
                ? SeedAliases.translate(name, null, items(node, () -> new ConfigException(name + " in " + source
                        + " is a nested list or mapping")), source)
                : SeedAliases.translate(name, node.asText(), null, source);
        translated.forEach((keyName, raw) -> put(ConfigKeys.find(keyName).orElseThrow(), raw));
    }

    private void put(ConfigKey<?> key, RawValue raw) {
        RawValue before = values.put(key.name(), raw);
        if (before != null) {
            throw new ConfigException(key.name() + " is given twice in " + source
                    + (before.source().equals(raw.source()) ? "" : " (" + describe(before) + " and " + describe(raw)
                    + ")"));
        }
        raw.parse(key); // fail on a bad value even when a flag or variable overrides it
    }

    private static String describe(RawValue raw) {
        int as = raw.source().where().lastIndexOf(", as ");
        return as < 0 ? "by its own name" : raw.source().where().substring(as + 2);
    }

    private static List<String> items(JsonNode array, java.util.function.Supplier<ConfigException> nested) {
        List<String> items = new ArrayList<>();
        for (JsonNode item : array) {
            if (!item.isValueNode()) {
                throw nested.get();
            }
            items.add(item.asText());
        }
        return items;
    }

    private static boolean isGroup(String name) {
        return !firstInGroup(name).isEmpty();
    }

    private static String firstInGroup(String group) {
        return ConfigKeys.all().stream().map(ConfigKey::name).filter(key -> key.startsWith(group + "."))
                .map(key -> key.substring(group.length() + 1)).findFirst().orElse("");
    }

    private static String oneLine(JsonProcessingException e) {
        String line = e.getOriginalMessage().lines().findFirst().orElse("").trim();
        return e.getLocation() == null ? line : line + " (line " + e.getLocation().getLineNr() + ")";
    }
}
