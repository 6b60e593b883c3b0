package io.tributary.server.lb;

import java.util.List;

/**
 * Writes an HAProxy (2.6 or newer) configuration for a Tributary cluster: RTMP to the origins with the
 * client address passed on by PROXY protocol v2, a publishing HTTP port to the origins, a playing HTTP
 * port to the edges with HLS kept on one edge per stream, the internal endpoints refused, health checks
 * on every node's {@code /health} (so a draining node leaves rotation) and a stats page.
 * {@code deploy/haproxy/haproxy.cfg} is {@link #example()}; {@code tributary lb haproxy} renders the live
 * node list.
 */
public final class HaproxyConfig {
    /** Backend names; {@code track} lines refer to them. */
    static final String RTMP_ORIGINS = "rtmp_origins";
    static final String HTTP_ORIGINS = "http_origins";
    static final String HTTP_EDGES = "http_edges";
    static final String HLS_EDGES = "hls_edges";

    /** Every file of a stream is {@code /{app}/streams/{id}.m3u8|.mpd} or lies under {@code /{app}/streams/{id}/}. */
    static final String HLS_ACL = "path_reg ^/[^/]+/streams/.+[.](m3u8|mpd|ts|m4s|mp4|aac|vtt)$";
    /**
     * Reduces such a path to {@code /{app}/streams/{id}}. Single quotes keep the regex's parentheses and
     * comma inside the converter's arguments; {@code [.]} and {@code \$} survive the double quotes.
     */
    static final String STREAM_KEY = "\"path,regsub('^(/[^/]+/streams/[^/]+)(/.*|[.](m3u8|mpd|ts|m4s|mp4|aac|vtt))"
            + "\\$','\\1')\"";

    private final HaproxySettings settings;
    private final StringBuilder out = new StringBuilder();

    private HaproxyConfig(HaproxySettings settings) {
        this.settings = settings;
    }

    public static String render(List<LbNode> nodes, HaproxySettings settings) {
        return new HaproxyConfig(settings).write(nodes);
    }

    /** The shipped example: two origins and two edges at placeholder addresses. */
    public static String example() {
        return render(exampleNodes(), new HaproxySettings("", HaproxySettings.RTMP_PORT,
                HaproxySettings.PUBLISH_PORT, HaproxySettings.PLAY_PORT, HaproxySettings.STATS_PORT, "admin",
                "CHANGE-ME", List.of("HAProxy 2.6+ in front of a Tributary cluster: 2 origins, 2 edges.",
                        "Lines marked CHANGE hold addresses and credentials to set; README.md beside this file",
                        "explains every block. Written by ./tributary lb haproxy --example; for a running",
                        "cluster, ./tributary lb haproxy --from http://node:5080 writes one with its nodes."), true));
    }

    static List<LbNode> exampleNodes() {
        return List.of(new LbNode("origin-1", "10.0.0.11", 1935, 5080, List.of("origin")),
                new LbNode("origin-2", "10.0.0.12", 1935, 5080, List.of("origin")),
                new LbNode("edge-1", "10.0.0.13", 1935, 5080, List.of("edge")),
                new LbNode("edge-2", "10.0.0.14", 1935, 5080, List.of("edge")));
    }

    private String write(List<LbNode> nodes) {
        List<LbNode> origins = nodes.stream().filter(LbNode::isOrigin).toList();
        List<LbNode> edges = nodes.stream().filter(LbNode::isEdge).toList();
        settings.header().forEach(h -> line("# " + h));
        line("");
        global();
        rtmp(origins);
        publishing(origins);
        playing(edges);
        stats();
        return out.toString();
    }

    private void global() {
        block("Process-wide settings. HAProxy starts as root to bind low ports, then runs as user haproxy.");
        line("global");
        line("    log stdout format raw local0 info");
        line("    maxconn 20000");
        line("    user haproxy");
        line("    group haproxy");
        line("");
        block("Defaults for every proxy below. Streams are long-lived: a connection may stay open for hours, "
                + "so the timeouts are about inactivity (a live stream sends a frame every few tens of ms).");
        line("defaults");
        line("    log global");
        line("    mode http");
        line("    option dontlognull");
        line("    option redispatch          # a request whose server fails goes to another one");
        line("    retries 3");
        line("    timeout connect 5s");
        line("    timeout client 60s         # client silent (or not reading) this long: closed");
        line("    timeout server 60s         # server silent this long (a stalled stream): closed");
        line("    timeout http-request 10s");
        line("    timeout http-keep-alive 10s");
        line("    timeout queue 30s");
        line("    timeout tunnel 1h          # RTMP (tcp) and WebSocket connections once established");
        line("    timeout client-fin 10s");
        line("    timeout server-fin 10s");
        line("    default-server inter 2s fall 2 rise 2   # a node failing /health twice (4 s) leaves rotation");
        line("");
    }

    private void rtmp(List<LbNode> origins) {
        block("RTMP: encoders (and RTMP players) go to the origin with the fewest connections. "
                + "send-proxy-v2 tells the node the encoder's real address: the nodes need "
                + "server.trustedProxies set to this HAProxy's address.");
        line("frontend rtmp");
        bind(settings.rtmpPort());
        line("    mode tcp");
        line("    option tcplog");
        line("    default_backend " + RTMP_ORIGINS);
        line("");
        line("backend " + RTMP_ORIGINS);
        line("    mode tcp");
        line("    balance leastconn");
        healthCheck();
        for (LbNode n : origins) {
            server(n, n.address(n.rtmpPort()), "check port " + n.httpPort() + " send-proxy-v2",
                    n.id() + "'s internal address and ports");
        }
        none(origins, "origin");
        line("");
    }

    private void publishing(List<LbNode> origins) {
        block("Publishing HTTP (REST, and WHIP later) goes to the origins.");
        line("frontend http_publish");
        bind(settings.publishPort());
        httpFrontend();
        line("    default_backend " + HTTP_ORIGINS);
        line("");
        line("backend " + HTTP_ORIGINS);
        line("    balance leastconn");
        for (LbNode n : origins) {
            server(n, n.address(n.httpPort()), "track " + RTMP_ORIGINS + "/" + n.id(), null);
        }
        none(origins, "origin");
        line("");
    }

    private void playing(List<LbNode> edges) {
        block("Playing HTTP goes to the edges: HTTP-FLV and the API by fewest connections; HLS and DASH "
                + "files of one stream always to the same edge (a hash of /{app}/streams/{id}, not a cookie: "
                + "ffmpeg and TV players ignore cookies), so one edge pulls and segments each stream.");
        line("frontend http_play");
        bind(settings.playPort());
        httpFrontend();
        line("    acl hls " + HLS_ACL);
        line("    http-request set-var(txn.stream) " + STREAM_KEY + " if hls");
        line("    use_backend " + HLS_EDGES + " if hls");
        line("    default_backend " + HTTP_EDGES);
        line("");
        line("backend " + HTTP_EDGES);
        line("    balance leastconn");
        healthCheck();
        for (LbNode n : edges) {
            server(n, n.address(n.httpPort()), "check", n.id() + "'s internal address and HTTP port");
        }
        none(edges, "edge");
        line("");
        block("Consistent hashing: when an edge leaves, only its streams move to other edges.");
        line("backend " + HLS_EDGES);
        line("    balance hash var(txn.stream)");
        line("    hash-type consistent");
        for (LbNode n : edges) {
            server(n, n.address(n.httpPort()), "track " + HTTP_EDGES + "/" + n.id(), null);
        }
        none(edges, "edge");
        line("");
    }

    private void httpFrontend() {
        line("    mode http");
        line("    option httplog");
        line("    option forwardfor          # X-Forwarded-For: the nodes trust it from server.trustedProxies");
        line("    http-request set-header X-Forwarded-Proto http");
        line("    # Internal endpoints are for the nodes themselves; draining is asked of one node directly.");
        line("    acl internal path_reg ^/+cluster/+api(/|$) ^/+[^/]+/+rest/+cluster-communication(/|$)");
        line("    acl internal path_reg ^/+rest/+v2/+cluster/+drain(/|$)");
        line("    acl internal path_reg ^/+metrics(/|$)   # Prometheus scrapes each node directly");
        line("    http-request deny deny_status 403 if internal");
    }

    private void healthCheck() {
        line("    option httpchk");
        line("    http-check send meth GET uri /health ver HTTP/1.1 hdr Host tributary");
        line("    http-check expect status 200   # 503 while the node drains or stops");
    }

    private void stats() {
        block("The stats page: which nodes are up, their connections. Keep its port private.");
        line("listen stats");
        bind(settings.statsPort());
        line("    mode http");
        line("    stats enable");
        line("    stats uri /");
        line("    stats refresh 10s");
        line("    stats hide-version");
        line("    stats auth " + settings.statsUser() + ":" + settings.statsPassword()
                + (settings.markChanges() ? "   # CHANGE: user and password" : ""));
    }

    private void bind(int port) {
        line("    bind " + (settings.bindAddress().indexOf(':') >= 0 ? "[" + settings.bindAddress() + "]"
                : settings.bindAddress()) + ":" + port);
    }

    private void server(LbNode n, String address, String options, String change) {
        line("    server " + n.id() + " " + address + " " + options
                + (settings.markChanges() && change != null ? "   # CHANGE: " + change : ""));
    }

    private void none(List<LbNode> nodes, String role) {
        if (nodes.isEmpty()) {
            line("    # no " + role + " node was found: this backend answers 503 until one is added");
        }
    }

    private void block(String comment) {
        StringBuilder lineSoFar = new StringBuilder("#");
        for (String word : comment.split(" ")) {
            if (lineSoFar.length() + 1 + word.length() > 100) {
                line(lineSoFar.toString());
                lineSoFar = new StringBuilder("#");
            }
            lineSoFar.append(' ').append(word);
        }
        line(lineSoFar.toString());
    }

    private void line(String text) {
        out.append(text).append('\n');
    }
}
