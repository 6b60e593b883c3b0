package io.tributary.server.cli;

import io.tributary.server.config.ConfigException;
import io.tributary.server.config.NodeConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
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
        return ConfigResolution.resolve(spec, configFile, sets, env);
    }
}
