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

class NodeConfigTest {
    @TempDir
    Path dir;

    @Test
    void flagBeatsEnvironmentBeatsFileBeatsDefault() throws IOException {
        Path file = yaml("rtmp:\n  port: 1001\nhttp:\n  port: 2001\nhost: 10.0.0.1\n");
        Map<String, String> env = Map.of("TRIBUTARY_RTMP_PORT", "1002", "TRIBUTARY_HTTP_PORT", "2002");

        NodeConfig config = NodeConfig.load(file, env, Map.of("rtmp.port", "1003"));

        assertThat(config.rtmpPort()).isEqualTo(1003);
        assertThat(config.source(ConfigKeys.RTMP_PORT)).hasToString("flag --rtmp-port");
        assertThat(config.httpPort()).isEqualTo(2002);
        assertThat(config.source(ConfigKeys.HTTP_PORT)).hasToString("env TRIBUTARY_HTTP_PORT");
        assertThat(config.host()).isEqualTo("10.0.0.1");
        assertThat(config.source(ConfigKeys.HOST)).hasToString("file " + file);
        assertThat(config.get(ConfigKeys.RTMP_CHUNK_SIZE)).isEqualTo(60000);
        assertThat(config.source(ConfigKeys.RTMP_CHUNK_SIZE)).hasToString("default");
    }

    @Test
    void fileAcceptsNestedGroupsAndDottedKeys() throws IOException {
        Path file = yaml("""
                rtmp:
                  idleTimeout: 30s
                rtmp.maxMessageSize: 4MiB
                stream: {republishGrace: 2m, acceptUndefined: false}
                apps: [live, vod]
                nodeId: edge-1
                dataDir: /var/lib/tributary
                """);

        NodeConfig config = NodeConfig.load(file, Map.of(), Map.of());

        assertThat(config.get(ConfigKeys.RTMP_IDLE_TIMEOUT)).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.get(ConfigKeys.RTMP_MAX_MESSAGE_SIZE)).isEqualTo(4L << 20);
        assertThat(config.get(ConfigKeys.STREAM_REPUBLISH_GRACE)).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.get(ConfigKeys.STREAM_ACCEPT_UNDEFINED)).isFalse();
        assertThat(config.apps()).containsExactly("live", "vod");
        assertThat(config.nodeId()).contains("edge-1");
        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/tributary"));
    }

    @Test
    void environmentAndFlagsTakeListsCommaSeparated() {
        NodeConfig fromEnv = NodeConfig.load(null, Map.of("TRIBUTARY_APPS", "live, vod,,talks"), Map.of());
        NodeConfig fromFlag = NodeConfig.load(null, Map.of(), Map.of("apps", "a,b"));

        assertThat(fromEnv.apps()).containsExactly("live", "vod", "talks");
        assertThat(fromFlag.apps()).containsExactly("a", "b");
    }

    @Test
    void emptyOrNullFileIsAllDefaults() throws IOException {
        assertThat(NodeConfig.load(yaml(""), Map.of(), Map.of()).describeChanged()).isEmpty();
        assertThat(NodeConfig.load(yaml("rtmp:\nnodeId:\n"), Map.of(), Map.of()).describeChanged()).isEmpty();
    }

    @Test
    void emptyEnvironmentVariablesCountAsUnset() {
        NodeConfig config = NodeConfig.load(null, Map.of("TRIBUTARY_RTMP_PORT", ""), Map.of());

        assertThat(config.rtmpPort()).isEqualTo(1935);
    }

    @Test
    void unknownTributaryVariablesAreWarnedAboutButTheLauncherOnesAreNot() {
        NodeConfig config = NodeConfig.load(null,
                Map.of("TRIBUTARY_RTMP_PROT", "1", "TRIBUTARY_JAVA_OPTS", "-Xmx1g", "PATH", "/bin"), Map.of());

        assertThat(config.warnings())
                .containsExactly("environment variable TRIBUTARY_RTMP_PROT is not a configuration key");
    }

    @Test
    void badValuesNameTheKeyTheSourceAndWhatIsExpected() throws IOException {
        Path file = yaml("rtmp:\n  port: http\n");

        assertThatThrownBy(() -> NodeConfig.load(file, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("rtmp.port from file " + file + " is \"http\": expected an integer from 0 to 65535");
        assertThatThrownBy(() -> NodeConfig.load(null, Map.of("TRIBUTARY_RTMP_IDLE_TIMEOUT", "20"), Map.of()))
                .hasMessage("rtmp.idleTimeout from env TRIBUTARY_RTMP_IDLE_TIMEOUT is \"20\": "
                        + "write a unit, e.g. 5s or 500ms");
        assertThatThrownBy(() -> NodeConfig.load(null, Map.of(), Map.of("rtmp.chunkSize", "64")))
                .hasMessage("rtmp.chunkSize from flag --set rtmp.chunkSize is \"64\": "
                        + "expected an integer from 128 to 16777215");
        assertThatThrownBy(() -> NodeConfig.load(null, Map.of(), Map.of("log.level", "LOUD")))
                .hasMessage("log.level from flag --log-level is \"LOUD\": "
                        + "expected one of TRACE, DEBUG, INFO, WARN, ERROR");
    }

    @Test
    void aBadValueFailsEvenWhenAHigherSourceOverridesIt() throws IOException {
        Path file = yaml("http.port: 99999\n");

        assertThatThrownBy(() -> NodeConfig.load(file, Map.of(), Map.of("http.port", "8080")))
                .hasMessageStartingWith("http.port from file ");
    }

    @Test
    void unknownKeysAreErrorsWithASuggestion() throws IOException {
        Path file = yaml("rtmp:\n  prot: 1935\n");

        assertThatThrownBy(() -> NodeConfig.load(file, Map.of(), Map.of()))
                .hasMessage("unknown key rtmp.prot in file " + file + " (did you mean rtmp.port?)");
        assertThatThrownBy(() -> NodeConfig.load(null, Map.of(), Map.of("colour", "blue")))
                .hasMessage("unknown key colour on the command line");
    }

    @Test
    void wrongYamlShapesAreErrors() throws IOException {
        Path mapping = yaml("rtmp:\n  port: {value: 1}\n");
        Path list = yaml("host: [a, b]\n");
        Path group = yaml("rtmp: 1935\n");
        Path twice = yaml("rtmp.port: 1\nrtmp:\n  port: 2\n");
        Path notYaml = yaml("rtmp: [\n");
        Path notAMap = yaml("- rtmp\n");

        assertThatThrownBy(() -> load(mapping)).hasMessage("rtmp.port from file " + mapping
                + " is a mapping: expected an integer from 0 to 65535");
        assertThatThrownBy(() -> load(list)).hasMessage("host from file " + list
                + " is [a, b]: expected a non-empty string, not a list");
        assertThatThrownBy(() -> load(group)).hasMessage("rtmp in file " + group
                + " is a group of keys (such as rtmp.port), not a value");
        assertThatThrownBy(() -> load(twice)).hasMessage("rtmp.port is given twice in file " + twice);
        assertThatThrownBy(() -> load(notYaml)).hasMessageStartingWith("config file " + notYaml + " is not valid YAML")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> load(notAMap)).hasMessage("config file " + notAMap
                + " must be a mapping of keys to values");
        assertThatThrownBy(() -> load(dir.resolve("missing.yaml")))
                .hasMessage("config file " + dir.resolve("missing.yaml") + " does not exist");
    }

    @Test
    void appNamesAreChecked() {
        assertThatThrownBy(() -> NodeConfig.defaults().with("apps", "live,li ve"))
                .hasMessage("apps from override is \"live,li ve\": \"li ve\" is not allowed: "
                        + "expected names of letters, digits, '_' or '-'");
        assertThatThrownBy(() -> NodeConfig.defaults().with("apps", "live,live"))
                .hasMessageEndingWith("\"live\" is listed twice");
        assertThatThrownBy(() -> NodeConfig.defaults().with("apps", ","))
                .hasMessageEndingWith("expected at least one of names of letters, digits, '_' or '-'");
    }

    @Test
    void nodeIdsAreChecked() {
        assertThat(NodeConfig.defaults().with("nodeId", "edge-1.eu_west").nodeId()).contains("edge-1.eu_west");
        assertThatThrownBy(() -> NodeConfig.defaults().with("nodeId", "edge 1"))
                .hasMessage("nodeId from override is \"edge 1\": "
                        + "expected up to 64 letters, digits, '.', '_' or '-', not starting with a symbol");
    }

    @Test
    void withReturnsACopyWithOneOverride() {
        NodeConfig defaults = NodeConfig.defaults();

        NodeConfig changed = defaults.with("rtmp.port", "0").with("stream.republishGrace", "2s");

        assertThat(changed.rtmpPort()).isZero();
        assertThat(changed.get(ConfigKeys.STREAM_REPUBLISH_GRACE)).isEqualTo(Duration.ofSeconds(2));
        assertThat(defaults.rtmpPort()).isEqualTo(1935);
        assertThatThrownBy(() -> defaults.with("rtmp.prot", "1")).hasMessageContaining("did you mean rtmp.port?");
    }

    @Test
    void describeListsEveryKeyWithItsSource() {
        NodeConfig config = NodeConfig.load(null, Map.of("TRIBUTARY_HTTP_PORT", "8080"),
                Map.of("stream.republishGrace", "2s"), Map.of("stream.republishGrace", "--set stream.republishGrace"));

        assertThat(config.describe().lines())
                .hasSize(ConfigKeys.all().size())
                .contains("http.port = 8080 (env TRIBUTARY_HTTP_PORT)",
                        "stream.republishGrace = 2s (flag --set stream.republishGrace)",
                        "rtmp.maxMessageSize = 8MiB (default)",
                        "nodeId = (not set) (default)");
        assertThat(config.describeChanged()).containsExactly("http.port = 8080 (env TRIBUTARY_HTTP_PORT)",
                "stream.republishGrace = 2s (flag --set stream.republishGrace)");
    }

    private static NodeConfig load(Path file) {
        return NodeConfig.load(file, Map.of(), Map.of());
    }

    private Path yaml(String text) throws IOException {
        Path file = Files.createTempFile(dir, "tributary", ".yaml");
        return Files.writeString(file, text);
    }
}
