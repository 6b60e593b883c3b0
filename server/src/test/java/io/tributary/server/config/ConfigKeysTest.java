package io.tributary.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigKeysTest {

    @ParameterizedTest
    @CsvSource({
        "rtmp.maxMessageSize, TRIBUTARY_RTMP_MAX_MESSAGE_SIZE",
        "nodeId, TRIBUTARY_NODE_ID",
        "dataDir, TRIBUTARY_DATA_DIR",
        "host, TRIBUTARY_HOST",
        "server.ioThreads, TRIBUTARY_SERVER_IO_THREADS",
        "cluster.relay.releaseDelay, TRIBUTARY_CLUSTER_RELAY_RELEASE_DELAY",
        "hls.segmentDuration, TRIBUTARY_HLS_SEGMENT_DURATION"})
    void environmentNamesAreTheKeyInUpperSnakeCase(String key, String env) {
        assertThat(ConfigKey.envName(key)).isEqualTo(env);
    }

    @Test
    void everyKeyHasADescriptionAndAUniqueName() {
        assertThat(ConfigKeys.all()).isNotEmpty().allSatisfy(key -> assertThat(key.description()).isNotBlank());
        assertThat(ConfigKeys.all()).extracting(ConfigKey::name).doesNotHaveDuplicates();
        assertThat(ConfigKeys.all()).extracting(ConfigKey::envName).doesNotHaveDuplicates();
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        NodeConfig config = NodeConfig.defaults();

        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.nodeId()).isEmpty();
        assertThat(config.rtmpPort()).isEqualTo(1935);
        assertThat(config.httpPort()).isEqualTo(5080);
        assertThat(config.apps()).containsExactly("live");
        assertThat(config.get(ConfigKeys.RTMP_MAX_MESSAGE_SIZE)).isEqualTo(8L << 20);
        assertThat(config.get(ConfigKeys.RTMP_IDLE_TIMEOUT)).hasSeconds(20);
        assertThat(config.get(ConfigKeys.STREAM_ACCEPT_UNDEFINED)).isTrue();
        assertThat(config.get(ConfigKeys.LOG_LEVEL)).isEqualTo("INFO");
    }

    @Test
    void findsKeysByName() {
        assertThat(ConfigKeys.find("rtmp.port")).contains(ConfigKeys.RTMP_PORT);
        assertThat(ConfigKeys.find("rtmp.prot")).isEqualTo(Optional.empty());
    }

    @Test
    void suggestsTheKeyThatWasProbablyMeant() {
        assertThat(KeyNames.suggestion("rtmp.prot")).isEqualTo(" (did you mean rtmp.port?)");
        assertThat(KeyNames.suggestion("rtmp.idletimeout")).isEqualTo(" (did you mean rtmp.idleTimeout?)");
        assertThat(KeyNames.suggestion("completely.different")).isEmpty();
    }
}
