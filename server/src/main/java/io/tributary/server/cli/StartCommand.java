package io.tributary.server.cli;

import io.tributary.server.config.ConfigException;
import io.tributary.server.config.ConfigKey;
import io.tributary.server.config.ConfigKeys;
import io.tributary.server.config.NodeConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tributary start}: resolves the configuration and runs a node in the foreground. */
@Command(name = "start", mixinStandardHelpOptions = true, sortOptions = false,
        modelTransformer = ConfigFlags.class,
        description = {"Starts a node in the foreground; Ctrl-C or SIGTERM stops it cleanly.",
            "Every key in docs/configuration.md can be set with --set, TRIBUTARY_* variables or --config.",
            "Precedence: flag > environment > file > default."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:--print-config printed the configuration", "1:the node could not start",
            "2:invalid configuration or command line",
            "143:stopped by SIGTERM (130: Ctrl-C), after a clean stop"})
public final class StartCommand implements Callable<Integer> {
    static final int CONFIG_ERROR = 2;

    @Spec
    private CommandSpec spec;

    @Option(names = "--config", order = 100, paramLabel = "FILE", description = "YAML configuration file")
    private Path configFile;

    @Option(names = "--set", order = 101, paramLabel = "KEY=VALUE",
            description = "sets any configuration key (repeatable), e.g. --set stream.republishGrace=30s")
    private List<String> sets = new ArrayList<>();

    @Option(names = "--print-config", order = 102, description = "prints the resolved configuration and exits")
    private boolean printConfig;

    private final Map<String, String> env;
    private final NodeRunner runner;

    public StartCommand() {
        this(System.getenv(), NodeRunner.production());
    }

    public StartCommand(Map<String, String> env, NodeRunner runner) {
        this.env = env;
        this.runner = runner;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        NodeConfig config;
        try {
            config = resolve();
        } catch (ConfigException e) {
            err.println("tributary: " + e.getMessage());
            err.flush();
            return CONFIG_ERROR;
        }
        if (printConfig) {
            out.println(config.describe());
            out.flush();
            return 0;
        }
        return runner.run(config, err);
    }

    private NodeConfig resolve() {
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
