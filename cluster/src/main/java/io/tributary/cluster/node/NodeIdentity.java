package io.tributary.cluster.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;
import java.util.UUID;

/**
 * A node's persisted identity: its id and the instance token that proves a restarted node is the same
 * node. Kept in {@code dataDir/node.properties}, written atomically.
 */
public record NodeIdentity(String nodeId, String instance) {
    public static final String FILE_NAME = "node.properties";

    /**
     * Loads the identity from the data directory, creating it on first start. A configured id wins over
     * a persisted one; when it differs, the node is a new node and gets a new instance token.
     */
    public static NodeIdentity loadOrCreate(Path dataDir, String configuredId) {
        Path file = dataDir.resolve(FILE_NAME);
        Properties p = new Properties();
        try {
            Files.createDirectories(dataDir);
            if (Files.exists(file)) {
                try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    p.load(in);
                }
            }
            String id = p.getProperty("nodeId");
            String instance = p.getProperty("instance");
            if (configuredId != null && !configuredId.equals(id) || id == null || instance == null) {
                id = configuredId != null ? configuredId : "node-" + UUID.randomUUID().toString().substring(0, 8);
                byte[] token = new byte[16];
                new SecureRandom().nextBytes(token);
                instance = HexFormat.of().formatHex(token);
                write(file, id, instance);
            }
            return new NodeIdentity(id, instance);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the node identity in " + file, e);
        }
    }

    private static void write(Path file, String id, String instance) throws IOException {
        Properties p = new Properties();
        p.setProperty("nodeId", id);
        p.setProperty("instance", instance);
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        try (var out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(out, "Tributary node identity: keep it with the data directory");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
