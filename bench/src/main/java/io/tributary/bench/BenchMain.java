package io.tributary.bench;

import io.tributary.bench.run.FanoutCommand;
import io.tributary.bench.run.LatencyCommand;
import io.tributary.bench.run.MediaCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Entry point of {@code tributary-bench.jar}, run by {@code ./tributary bench}. */
@Command(name = "tributary-bench", mixinStandardHelpOptions = true,
        versionProvider = BenchMain.Version.class,
        description = {"Benchmarks for Tributary: fan-out capacity against nginx-rtmp, and latency.",
            "Servers under test run on one core and this process on another (taskset); methods and results are "
                + "in docs/benchmarks.md."},
        subcommands = {FanoutCommand.class, LatencyCommand.class, MediaCommand.class, HelpCommand.class})
public final class BenchMain implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new BenchMain());
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** Supplies {@code --version} from the jar's manifest. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = BenchMain.class.getPackage().getImplementationVersion();
            return new String[] {"tributary-bench " + (v == null ? "dev" : v)};
        }
    }
}
