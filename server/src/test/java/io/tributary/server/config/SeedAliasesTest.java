package io.tributary.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Monibuca seed's cluster.sync settings, copied into a YAML file as they are, configure peers mode. */
class SeedAliasesTest {
    @TempDir
    Path dir;

    @Test
    void theSeedsSyncBlockSetsPeersMode() throws IOException {
        Path file = yaml("""
                cluster:
                  sync:
                    enabled: true
                    server_id: "node-2"
                    address: "192.168.1.11:8180"
                    seed_servers:
                      - "192.168.1.10:8180"
                      - "192.168.1.12:8180"
                    heartbeat_interval: 5
                    sync_interval: 30
                    heartbeat_ttl: 1.5
                    suspect_threshold: 2
                    offline_threshold: 3
                    internal_api_key: "k-123"
                """);

        NodeConfig config = NodeConfig.load(file, Map.of(), Map.of());

        assertThat(config.get(ConfigKeys.CLUSTER_STORE)).isEqualTo("peers");
        assertThat(config.nodeId()).contains("node-2");
        assertThat(config.get(ConfigKeys.INTERNAL_ADDRESS)).isEqualTo("192.168.1.11");
        assertThat(config.httpPort()).isEqualTo(8180);
        assertThat(config.get(ConfigKeys.CLUSTER_SEEDS)).containsExactly("192.168.1.10:8180", "192.168.1.12:8180");
        assertThat(config.get(ConfigKeys.CLUSTER_HEARTBEAT_PERIOD)).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.get(ConfigKeys.CLUSTER_SYNC_PERIOD)).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.get(ConfigKeys.CLUSTER_HEARTBEAT_TTL)).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.get(ConfigKeys.CLUSTER_SUSPECT_AFTER)).isEqualTo(2);
        assertThat(config.get(ConfigKeys.CLUSTER_DEAD_AFTER)).isEqualTo(3);
        assertThat(config.get(ConfigKeys.CLUSTER_API_KEY)).isEqualTo("k-123");
        assertThat(config.source(ConfigKeys.CLUSTER_SEEDS)).hasToString("file " + file + ", as cluster.sync.seed_servers");
    }

    @Test
    void aDisabledSyncLeavesTheStoreAloneAndDottedAliasesWorkToo() throws IOException {
        NodeConfig config = NodeConfig.load(yaml("cluster.sync.enabled: false\ncluster.sync.heartbeat_interval: 300ms\n"),
                Map.of(), Map.of());

        assertThat(config.get(ConfigKeys.CLUSTER_STORE)).isEqualTo("embedded");
        assertThat(config.get(ConfigKeys.CLUSTER_HEARTBEAT_PERIOD)).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void aFlagStillBeatsAnAlias() throws IOException {
        NodeConfig config = NodeConfig.load(yaml("cluster: {sync: {suspect_threshold: 3, offline_threshold: 5}}\n"),
                Map.of(), Map.of("cluster.deadAfter", "6"));

        assertThat(config.get(ConfigKeys.CLUSTER_SUSPECT_AFTER)).isEqualTo(3);
        assertThat(config.get(ConfigKeys.CLUSTER_DEAD_AFTER)).isEqualTo(6);
    }

    @Test
    void anAliasAndItsKeyTogetherAreGivenTwice() throws IOException {
        Path file = yaml("cluster:\n  apiKey: a\n  sync:\n    internal_api_key: b\n");

        assertThatThrownBy(() -> NodeConfig.load(file, Map.of(), Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("cluster.apiKey is given twice")
                .hasMessageContaining("as cluster.sync.internal_api_key");
    }

    @Test
    void badAliasValuesNameTheAlias() throws IOException {
        assertThatThrownBy(() -> NodeConfig.load(yaml("cluster.sync.address: nowhere\n"), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.sync.address")
                .hasMessageContaining("host:port");
        assertThatThrownBy(() -> NodeConfig.load(yaml("cluster.sync.heartbeat_interval: 0.0005\n"), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.sync.heartbeat_interval");
        assertThatThrownBy(() -> NodeConfig.load(yaml("cluster.sync.offline_threshold: 0\n"), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.deadAfter")
                .hasMessageContaining("as cluster.sync.offline_threshold");
        assertThatThrownBy(() -> NodeConfig.load(yaml("cluster.sync.quic_addr: x\n"), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key cluster.sync.quic_addr");
    }

    private Path yaml(String text) throws IOException {
        Path file = Files.createTempFile(dir, "tributary", ".yaml");
        Files.writeString(file, text);
        return file;
    }
}
