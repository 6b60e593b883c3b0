package io.tributary.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tributary lb}: configuration for the load balancer in front of a cluster; on its own, the help. */
@Command(name = "lb", mixinStandardHelpOptions = true, subcommands = HaproxyCommand.class,
        description = "Load balancer configuration for a cluster (docs/cluster.md, Load balancer).")
public final class LbCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }
}
