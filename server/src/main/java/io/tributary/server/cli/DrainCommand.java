package io.tributary.server.cli;

import io.tributary.server.lb.NodeClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tributary drain}: takes a node out of rotation before maintenance, or puts it back. */
@Command(name = "drain", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Drains a running node: it refuses new publishers and players, and its /health answers "
                + "503 so load balancers send them elsewhere, while its current ones carry on.",
            "Stop the node once /health counts no publishers or players; --off ends draining."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the node answered", "1:the node could not be reached or refused"})
public final class DrainCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--node", paramLabel = "URL", defaultValue = "http://127.0.0.1:5080",
            description = "the node's HTTP address (default: ${DEFAULT-VALUE})")
    private String node;

    @Option(names = "--off", description = "ends draining: the node takes new clients again")
    private boolean off;

    @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:TRIBUTARY_REST_API_KEY}",
            description = "a REST API key (rest.apiKeys; default: $TRIBUTARY_REST_API_KEY), needed unless the node "
                    + "allow-lists this machine (rest.allowedCidrs, loopback by default)")
    private String apiKey;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        NodeClient client = new NodeClient(node, Duration.ofSeconds(10));
        try {
            out.println(client.drain(!off, apiKey));
            if (!off) {
                out.println("Its clients: curl " + client.base() + "/health; undo: tributary drain --off"
                        + (node.equals("http://127.0.0.1:5080") ? "" : " --node " + node));
            }
            out.flush();
            return 0;
        } catch (NodeClient.NodeClientException e) {
            err.println("tributary: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}
