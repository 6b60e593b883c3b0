package io.tributary.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.server.config.ConfigException;
import io.tributary.server.config.NodeConfig;
import io.tributary.server.testing.TestNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster settings a node checks before it starts, and the messages that tell an operator what to fix. */
class ClusterConfigTest {
    private static final String GOOD_SECRET = "0123456789abcdef0123456789abcdef";
    private static final String REDIS = "redis://127.0.0.1:6379";

    @TempDir
    Path dir;

    private static NodeConfig config(String... keyValues) {
        NodeConfig c = NodeConfig.defaults();
        for (int i = 0; i < keyValues.length; i += 2) {
            c = c.with(keyValues[i], keyValues[i + 1]);
        }
        return c;
    }

    @Test
    void peersModeIsAClusterWhoseSeedsMustBeHostsAndPorts() {
        assertThatThrownBy(() -> ClusterConfig.of(config("cluster.store", "peers", "advertise", "10.0.0.5")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("needs a shared secret");
        assertThatThrownBy(() -> ClusterConfig.of(config("cluster.store", "peers", "advertise", "10.0.0.5",
                "cluster.secret", GOOD_SECRET, "cluster.seeds", "10.0.0.1:5080,10.0.0.2:0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("10.0.0.2:0");
        assertThatThrownBy(() -> ClusterConfig.of(config("cluster.store", REDIS, "advertise", "10.0.0.5",
                "cluster.secret", GOOD_SECRET, "cluster.seeds", "10.0.0.1:5080")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.seeds is for peers mode");
        assertThat(ClusterConfig.of(config("cluster.store", "peers", "advertise", "10.0.0.5", "cluster.secret",
                GOOD_SECRET, "cluster.seeds", "10.0.0.1:5080,[fd00::2]:5080")).clustered()).isTrue();
    }

    @Test
    void aClusteredNodeWithoutASecretIsRefused() {
        assertThatThrownBy(() -> ClusterConfig.of(config("cluster.store", REDIS, "advertise", "10.0.0.5")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("needs a shared secret")
                .hasMessageContaining("--cluster-secret");
    }

    @Test
    void aClusteredNodeWithAShortSecretIsRefused() {
        assertThatThrownBy(() -> ClusterConfig.of(config("cluster.store", REDIS, "advertise", "10.0.0.5",
                "cluster.secret", "short-secret")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("at least 32 characters")
                .hasMessageContaining("it has 12");
    }

    @Test
    void aClusteredNodeOnAWildcardHostWithoutAnAdvertisedAddressIsRefused() {
        for (String host : new String[] {"0.0.0.0", "::"}) {
            assertThatThrownBy(() -> ClusterConfig.of(config("cluster.store", REDIS, "cluster.secret", GOOD_SECRET,
                    "host", host)))
                    .as(host)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("--advertise")
                    .hasMessageContaining(host);
        }
    }

    @Test
    void tlsNeedsAllThreeFiles() {
        Path cert = dir.resolve("node.crt");
        assertThatThrownBy(() -> ClusterConfig.of(config("cluster.tls.certificate", cert.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cluster.tls.certificate, cluster.tls.key and cluster.tls.ca");
        assertThatThrownBy(() -> ClusterConfig.of(config("cluster.tls.certificate", cert.toString(),
                "cluster.tls.key", dir.resolve("node.key").toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("all three");
    }

    @Test
    void aClusteredNodeWithASecretAndAnAdvertisedAddressIsAccepted() {
        ClusterConfig cc = ClusterConfig.of(config("cluster.store", REDIS, "cluster.secret", GOOD_SECRET,
                "host", "0.0.0.0", "advertise", "media1.example.net", "internalAddress", "10.0.0.5"));

        assertThat(cc.clustered()).isTrue();
        assertThat(cc.advertise()).isEqualTo("media1.example.net");
        assertThat(cc.internal()).isEqualTo("10.0.0.5");
        assertThat(cc.originAddress()).isEqualTo("media1.example.net");
        assertThat(cc.tls()).isNull();
    }

    @Test
    void aSingleNodeNeedsNoSecretAndAdvertisesItsHost() {
        ClusterConfig cc = ClusterConfig.of(config("host", "10.0.0.5"));

        assertThat(cc.clustered()).isFalse();
        assertThat(cc.advertise()).isEqualTo("10.0.0.5");
        assertThat(cc.internal()).isEqualTo("10.0.0.5");
        assertThat(cc.originAddress()).isEqualTo("10.0.0.5");
    }

    @Test
    void aSingleNodeOnAWildcardHostRecordsNoOriginAddress() {
        ClusterConfig cc = ClusterConfig.of(config("host", "0.0.0.0"));

        assertThat(cc.originAddress()).isNull();
    }

    @Test
    void aNodeStartedWithAShortSecretSaysSoBeforeTryingItsStore() {
        // Nothing listens on port 1: the secret is what the operator must be told about.
        assertThatThrownBy(() -> TestNode.builder().dataDir(dir).set("cluster.store", "redis://127.0.0.1:1")
                .set("cluster.secret", "short-secret").set("advertise", "127.0.0.1").start())
                .rootCause().hasMessageContaining("at least 32 characters");
    }
}
