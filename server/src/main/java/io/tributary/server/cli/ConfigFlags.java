package io.tributary.server.cli;

import io.tributary.server.config.ConfigKey;
import io.tributary.server.config.ConfigKeys;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Adds one option per configuration key that has a flag, so that declaring the flag on the key in
 * {@link ConfigKeys} is all it takes. Values stay text: {@code NodeConfig} parses them like any other
 * source, with the same messages.
 */
public final class ConfigFlags implements IModelTransformer {

    @Override
    public CommandSpec transform(CommandSpec spec) {
        int order = 0;
        for (ConfigKey<?> key : ConfigKeys.all()) {
            if (key.cliFlag().isPresent()) {
                spec.addOption(OptionSpec.builder(key.cliFlag().get())
                        .type(String.class)
                        .paramLabel("<" + key.name().substring(key.name().lastIndexOf('.') + 1) + ">")
                        .description(describe(key))
                        .order(order++)
                        .build());
            }
        }
        return spec;
    }

    /** The values given with key flags, by key name. */
    static Map<String, String> values(CommandSpec spec) {
        Map<String, String> values = new LinkedHashMap<>();
        for (ConfigKey<?> key : ConfigKeys.all()) {
            key.cliFlag().map(spec::findOption).map(OptionSpec::<String>getValue)
                    .ifPresent(value -> values.put(key.name(), value));
        }
        return values;
    }

    private static String describe(ConfigKey<?> key) {
        String defaultText = key.format(key.defaultValue());
        String text = key.description() + " (" + key.name() + (key.type().isList() ? ", comma-separated" : "")
                + ", env " + key.envName()
                + (defaultText == null ? "" : ", default " + defaultText) + ")";
        // picocli treats descriptions as format strings
        return text.replace("%", "%%");
    }
}
