package io.tributary.server.lb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The calls the command line makes to a running node: drain, and the cluster's node list. */
public final class NodeClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final Duration timeout;
    private final HttpClient http;

    /** A node as {@code /cluster/api/servers} lists it. */
    public record ClusterNode(LbNode node, String status) {
    }

    /** The node could not be reached, or refused; the message says which, for the operator. */
    public static final class NodeClientException extends Exception {
        NodeClientException(String message) {
            super(message);
        }
    }

    public NodeClient(String baseUrl, Duration timeout) {
        this.base = baseUrl.replaceAll("/+$", "");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    public String base() {
        return base;
    }

    /**
     * Starts ({@code on}) or ends draining the node; returns the node's message. {@code apiKey} (a
     * {@code rest.apiKeys} key) is needed unless the node allow-lists this machine's address (loopback by default).
     */
    public String drain(boolean on, String apiKey) throws NodeClientException {
        HttpRequest.Builder r = request(DrainRoutes.PATH);
        if (apiKey != null && !apiKey.isEmpty()) {
            r.header("X-Api-Key", apiKey);
        }
        JsonNode body = send(on ? r.POST(HttpRequest.BodyPublishers.noBody()) : r.DELETE());
        return body.path("message").asText();
    }

    /** Every node the cluster knows, from {@code /cluster/api/servers} (which needs the cluster API key). */
    public List<ClusterNode> clusterNodes(String apiKey) throws NodeClientException {
        HttpRequest.Builder r = request("/cluster/api/servers").GET();
        if (apiKey != null && !apiKey.isEmpty()) {
            r.header("X-Cluster-Api-Key", apiKey);
        }
        JsonNode data = send(r).path("data");
        List<ClusterNode> nodes = new ArrayList<>();
        for (JsonNode s : data) {
            List<String> roles = new ArrayList<>();
            s.path("roles").forEach(role -> roles.add(role.asText()));
            nodes.add(new ClusterNode(new LbNode(s.path("server_id").asText(), host(s.path("address").asText()),
                    s.path("rtmp_port").asInt(), s.path("http_port").asInt(), roles), s.path("status").asText()));
        }
        return nodes;
    }

    /** The host of {@code host:port} or {@code [v6]:port}. */
    static String host(String address) {
        if (address.startsWith("[")) {
            return address.substring(1, address.indexOf(']'));
        }
        int colon = address.lastIndexOf(':');
        return colon < 0 ? address : address.substring(0, colon);
    }

    private HttpRequest.Builder request(String path) throws NodeClientException {
        try {
            return HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
        } catch (IllegalArgumentException e) {
            throw new NodeClientException("not a node address: " + base + " (expected e.g. http://127.0.0.1:5080)");
        }
    }

    private JsonNode send(HttpRequest.Builder request) throws NodeClientException {
        HttpRequest r = request.build();
        HttpResponse<String> response;
        try {
            response = http.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new NodeClientException("no node answers at " + base + " (connection refused); is it running, "
                    + "and is that its HTTP address?");
        } catch (HttpTimeoutException e) {
            throw new NodeClientException("no answer from " + base + " within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            throw new NodeClientException("cannot reach " + base + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeClientException("interrupted");
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new NodeClientException(r.method() + " " + r.uri() + " answered " + response.statusCode()
                    + " with something other than JSON: is " + base + " a Tributary node?");
        }
        if (response.statusCode() / 100 != 2) {
            throw new NodeClientException(r.method() + " " + r.uri() + " answered " + response.statusCode() + ": "
                    + body.path("message").asText(response.body()));
        }
        return body;
    }
}
