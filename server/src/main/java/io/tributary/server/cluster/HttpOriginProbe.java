package io.tributary.server.cluster;

import io.tributary.cluster.directory.OriginProbe;
import io.tributary.cluster.node.NodeRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Asks a node's {@code /health} on its internal address; only a 200 within the timeout counts as serving. */
final class HttpOriginProbe implements OriginProbe {
    private static final Logger log = LoggerFactory.getLogger(HttpOriginProbe.class);

    private final HttpClient http;
    private final String scheme;

    HttpOriginProbe(HttpClient http, String scheme) {
        this.http = http;
        this.scheme = scheme;
    }

    @Override
    public boolean answers(NodeRecord node, Duration timeout) {
        String host = node.internal().indexOf(':') >= 0 ? "[" + node.internal() + "]" : node.internal();
        HttpRequest request = HttpRequest.newBuilder(URI.create(scheme + "://" + host + ":" + node.httpPort()
                + "/health")).timeout(timeout).GET().build();
        try {
            int status = http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .get(timeout.toMillis() + 100, java.util.concurrent.TimeUnit.MILLISECONDS).statusCode();
            return status == 200;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            log.info("node {} did not answer its health check within {} ms: {}", node.id(), timeout.toMillis(),
                    e.getCause() != null ? e.getCause().toString() : e.toString());
            return false;
        }
    }
}
