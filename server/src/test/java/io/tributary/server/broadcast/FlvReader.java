package io.tributary.server.broadcast;

import io.tributary.server.http.ApiClient;
import io.tributary.server.testing.TestNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** An HTTP-FLV viewer: a streaming GET of {@code /live/{id}.flv} whose body a background thread consumes. */
final class FlvReader implements AutoCloseable {
    private final int status;
    private final InputStream body;
    private final Thread reader;
    private final AtomicLong bytes = new AtomicLong();

    private FlvReader(int status, InputStream body) {
        this.status = status;
        this.body = body;
        this.reader = new Thread(this::consume, "flv-reader");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    static FlvReader open(TestNode node, String streamId) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.httpUrl("/live/" + streamId + ".flv"))).GET()
                .build();
        HttpResponse<InputStream> r = ApiClient.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
        return new FlvReader(r.statusCode(), r.body());
    }

    int status() {
        return status;
    }

    long bytesRead() {
        return bytes.get();
    }

    private void consume() {
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = body.read(buf)) >= 0) {
                bytes.addAndGet(n);
            }
        } catch (IOException ignored) {
            // closed by close() or by the server
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        body.close();
        reader.join(TimeUnit.SECONDS.toMillis(5));
    }
}
