package io.tributary.server.cli;

import io.tributary.server.config.ConfigException;
import io.tributary.server.config.ConfigKey;
import io.tributary.server.config.ConfigKeys;
import io.tributary.server.config.NodeConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/** Resolves a node's configuration from a command's key flags, {@code --set}s, environment and file. */
final class ConfigResolution {

    private ConfigResolution() {
    }

    static NodeConfig resolve(CommandSpec spec, Path configFile, List<String> sets, Map<String, String> env) {
        Map<String, String> values = new LinkedHashMap<>(ConfigFlags.values(spec));
        Map<String, String> setFlags = new LinkedHashMap<>();
        for (String assignment : sets) {
            int equals = assignment.indexOf('=');
            if (equals <= 0) {
                throw new ConfigException("--set " + assignment + ": expected KEY=VALUE, e.g. --set rtmp.port=1936");
            }
            String key = assignment.substring(0, equals).trim();
            String flag = "--set " + key;
            if (values.containsKey(key)) {
                String earlier = setFlags.containsKey(key) ? setFlags.get(key)
                        : ConfigKeys.find(key).flatMap(ConfigKey::cliFlag).orElse(flag);
                throw new ConfigException(
                        key + " is given twice on the command line (" + earlier + " and " + flag + ")");
            }
            values.put(key, assignment.substring(equals + 1));
            setFlags.put(key, flag);
        }
        // keys given with their own flag are named by it; NodeConfig derives that from the key
        return NodeConfig.load(configFile, env, values, setFlags);
    }
}
