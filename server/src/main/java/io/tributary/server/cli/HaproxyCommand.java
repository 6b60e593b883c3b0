package io.tributary.server.cli;

import io.tributary.server.lb.HaproxyConfig;
import io.tributary.server.lb.HaproxySettings;
import io.tributary.server.lb.LbNode;
import io.tributary.server.lb.NodeClient;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tributary lb haproxy}: asks a node for the cluster's nodes and prints an HAProxy configuration
 * with the origins and edges at their internal addresses. Dead nodes are left out; suspect ones stay,
 * because HAProxy's own health checks decide from one moment to the next.
 */
@Command(name = "haproxy", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Prints an HAProxy 2.6+ configuration for the cluster a node belongs to "
                + "(redirect it to /etc/haproxy/haproxy.cfg).",
            "Nodes come from the node's /cluster/api/servers, so the cluster API key is needed."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the configuration was printed", "1:the node could not be reached or refused"})
public final class HaproxyCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--from", paramLabel = "URL", defaultValue = "http://127.0.0.1:5080",
            description = "any node of the cluster (default: ${DEFAULT-VALUE})")
    private String from;

    @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:TRIBUTARY_CLUSTER_API_KEY}",
            description = "the cluster API key (cluster.apiKey; default: $TRIBUTARY_CLUSTER_API_KEY)")
    private String apiKey;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "",
            description = "address HAProxy listens on (default: every address)")
    private String bind;

    @Option(names = "--rtmp-port", paramLabel = "N", defaultValue = "" + HaproxySettings.RTMP_PORT,
            description = "RTMP frontend, to the origins (default: ${DEFAULT-VALUE})")
    private int rtmpPort;

    @Option(names = "--publish-port", paramLabel = "N", defaultValue = "" + HaproxySettings.PUBLISH_PORT,
            description = "publishing HTTP frontend, to the origins (default: ${DEFAULT-VALUE})")
    private int publishPort;

    @Option(names = "--play-port", paramLabel = "N", defaultValue = "" + HaproxySettings.PLAY_PORT,
            description = "playing HTTP frontend, to the edges (default: ${DEFAULT-VALUE})")
    private int playPort;

    @Option(names = "--stats-port", paramLabel = "N", defaultValue = "" + HaproxySettings.STATS_PORT,
            description = "stats page (default: ${DEFAULT-VALUE})")
    private int statsPort;

    @Option(names = "--stats-user", paramLabel = "USER", defaultValue = "admin",
            description = "stats page user (default: ${DEFAULT-VALUE})")
    private String statsUser;

    @Option(names = "--stats-password", paramLabel = "PASSWORD",
            description = "stats page password (default: a random one, written into the configuration)")
    private String statsPassword;

    @Option(names = "--example", description = "prints the shipped example (deploy/haproxy/haproxy.cfg) "
            + "without asking a node")
    private boolean example;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (example) {
            out.print(HaproxyConfig.example());
            out.flush();
            return 0;
        }
        NodeClient client = new NodeClient(from, Duration.ofSeconds(10));
        List<NodeClient.ClusterNode> known;
        try {
            known = client.clusterNodes(apiKey);
        } catch (NodeClient.NodeClientException e) {
            err.println("tributary: " + e.getMessage());
            err.flush();
            return 1;
        }
        List<LbNode> nodes = new ArrayList<>();
        for (NodeClient.ClusterNode n : known) {
            if ("dead".equals(n.status())) {
                err.println("tributary: left out " + n.node().id() + " (dead)");
            } else {
                nodes.add(n.node());
            }
        }
        nodes.sort(Comparator.comparing(LbNode::id));
        long origins = nodes.stream().filter(LbNode::isOrigin).count();
        long edges = nodes.stream().filter(LbNode::isEdge).count();
        if (origins == 0 || edges == 0) {
            err.println("tributary: warning: no " + (origins == 0 ? "origin" : "edge")
                    + " node is alive; its backends answer 503 until one is added");
        }
        String password = statsPassword != null ? statsPassword : randomPassword();
        HaproxySettings settings = new HaproxySettings(bind, rtmpPort, publishPort, playPort, statsPort, statsUser,
                password, List.of("HAProxy 2.6+ in front of a Tributary cluster: " + origins + " origin(s), "
                        + edges + " edge(s).",
                "Generated by ./tributary lb haproxy from " + client.base() + " at "
                        + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "; deploy/haproxy/README.md explains it."),
                false);
        out.print(HaproxyConfig.render(nodes, settings));
        out.flush();
        return 0;
    }

    private static String randomPassword() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
