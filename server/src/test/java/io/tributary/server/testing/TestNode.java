package io.tributary.server.testing;

import io.tributary.server.TributaryNode;
import io.tributary.server.config.NodeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** A node started in the test's JVM on free loopback ports with its own data directory. */
public final class TestNode implements AutoCloseable {
    private final TributaryNode node;
    private final Path dataDir;
    private final boolean ownsDataDir;

    private TestNode(TributaryNode node, Path dataDir, boolean ownsDataDir) {
        this.node = node;
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static TestNode start() {
        return builder().start();
    }

    /** Settings for a test node; anything not set is the default. */
    public static final class Builder {
        private final Map<String, String> settings = new LinkedHashMap<>();
        private Path dataDir;

        public Builder set(String key, String value) {
            settings.put(key, value);
            return this;
        }

        /** Reuses a data directory (to test restarts); the caller deletes it. */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        public TestNode start() {
            try {
                boolean owns = dataDir == null;
                Path dir = owns ? Files.createTempDirectory("tributary-test") : dataDir;
                NodeConfig config = NodeConfig.defaults()
                        .with("host", "127.0.0.1")
                        .with("rtmp.port", "0")
                        .with("http.port", "0")
                        .with("dataDir", dir.toString())
                        .with("server.shutdownTimeout", "2s");
                for (Map.Entry<String, String> e : settings.entrySet()) {
                    config = config.with(e.getKey(), e.getValue());
                }
                TributaryNode node = new TributaryNode(config);
                node.start();
                return new TestNode(node, dir, owns);
            } catch (Exception e) {
                throw new IllegalStateException("test node did not start", e);
            }
        }
    }

    public TributaryNode node() {
        return node;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String rtmpUrl(String app, String streamId) {
        return "rtmp://127.0.0.1:" + node.rtmpPort() + "/" + app + "/" + streamId;
    }

    public String httpUrl(String path) {
        return "http://127.0.0.1:" + node.httpPort() + path;
    }

    /** Stops the node but keeps its data directory. */
    public void stop() {
        node.stop();
    }

    @Override
    public void close() {
        node.stop();
        if (ownsDataDir) {
            deleteTree(dataDir);
        }
    }

    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
