package io.tributary.server.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code tributary} command; on its own it prints the help. */
@Command(name = "tributary", mixinStandardHelpOptions = true, versionProvider = TributaryCommand.Version.class,
        description = "Tributary: a clustered live-streaming media server.",
        subcommands = {StartCommand.class, AdminCommand.class, DrainCommand.class, LbCommand.class, HelpCommand.class},
        footerHeading = "%nLauncher commands (./tributary only):%n",
        footer = {"  test   installs test prerequisites and runs the whole suite",
            "         (arguments after test go to Maven, e.g. ./tributary test -pl rtmp)",
            "", "Configuration keys and the file format: docs/configuration.md"})
public final class TributaryCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** The version in the jar manifest, or {@code dev} when running from classes. */
    public static String version() {
        return Optional.ofNullable(TributaryCommand.class.getPackage().getImplementationVersion()).orElse("dev");
    }

    /** Supplies {@code --version}. */
    public static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tributary " + version()};
        }
    }
}
