package io.tributary.server.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.server.config.ConfigException;
import io.tributary.server.config.NodeConfig;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The trusted proxies as configured: no one by default, and a block that cannot be used stops the node. */
class LoadBalancerSupportTest {

    @Test
    void noPeerIsTrustedUnlessConfigured() {
        assertThat(LoadBalancerSupport.from(NodeConfig.defaults()).proxies().isEmpty()).isTrue();
        assertThat(LoadBalancerSupport.from(NodeConfig.defaults().with("server.trustedProxies", "10.0.0.0/8"))
                .proxies().trusts(new InetSocketAddress("10.9.8.7", 1))).isTrue();
    }

    @Test
    void aBlockThatCannotBeUsedIsAConfigurationError() {
        NodeConfig config = NodeConfig.defaults().with("server.trustedProxies", "127.0.0.1/32,10.0.0.0/40");

        assertThatThrownBy(() -> LoadBalancerSupport.from(config)).isInstanceOf(ConfigException.class)
                .hasMessage("server.trustedProxies: \"10.0.0.0/40\": the prefix length must be 0 to 32");
    }

    @Test
    void aHostNameIsRefusedWhenTheConfigurationIsRead() {
        assertThatThrownBy(() -> NodeConfig.defaults().with("server.trustedProxies", "lb.example.com"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("expected IP addresses or CIDR blocks such as 10.0.0.0/8");
    }
}
