package io.tributary.server.cluster;

import io.tributary.cluster.comm.ClusterTls;
import io.tributary.server.config.ConfigException;
import io.tributary.server.config.ConfigKeys;
import io.tributary.server.config.NodeConfig;
import io.tributary.cluster.peers.PeerAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * The cluster settings of a node, checked together before anything starts: a cluster needs a secret of
 * at least 32 characters and an address others can reach; TLS needs all three files.
 *
 * @param clustered true unless the store is the embedded one
 * @param advertise address players are sent to (the bound host unless told otherwise)
 * @param internal address other nodes use
 * @param originAddress what broadcast records show as their origin's address; null for a wildcard host
 * @param tls the node-to-node TLS files, or null
 */
record ClusterConfig(boolean clustered, String advertise, String internal, String originAddress, ClusterTls tls) {
    static final int MIN_SECRET_LENGTH = 32;

    static ClusterConfig of(NodeConfig config) {
        boolean clustered = !"embedded".equals(config.get(ConfigKeys.CLUSTER_STORE));
        String host = config.host();
        String advertise = config.get(ConfigKeys.ADVERTISE);
        if (clustered) {
            String secret = config.get(ConfigKeys.CLUSTER_SECRET);
            if (secret == null || secret.isEmpty()) {
                throw new ConfigException("a node in a cluster needs a shared secret: give every node the same "
                        + "--cluster-secret (at least " + MIN_SECRET_LENGTH + " characters), e.g. from `openssl rand "
                        + "-hex 32`");
            }
            if (secret.length() < MIN_SECRET_LENGTH) {
                throw new ConfigException("the cluster secret must be at least " + MIN_SECRET_LENGTH
                        + " characters long (it has " + secret.length() + "); e.g. `openssl rand -hex 32`");
            }
            if (advertise == null && isWildcard(host)) {
                throw new ConfigException("in a cluster other nodes and players must be able to reach this node: "
                        + "host is " + host + ", so give --advertise ADDRESS (and --internal-address if nodes use "
                        + "another network)");
            }
        }
        seeds(config);
        if (advertise == null) {
            advertise = host;
        }
        String internal = config.get(ConfigKeys.INTERNAL_ADDRESS);
        if (internal == null) {
            internal = advertise;
        }
        String origin = isWildcard(advertise) ? null : advertise;
        return new ClusterConfig(clustered, advertise, internal, origin, tls(config));
    }

    /** Seeds are for peers mode, and each must be a host and a port that exists. */
    private static void seeds(NodeConfig config) {
        List<String> seeds = config.get(ConfigKeys.CLUSTER_SEEDS);
        if (seeds == null) {
            return;
        }
        String store = config.get(ConfigKeys.CLUSTER_STORE);
        if (!"peers".equals(store)) {
            throw new ConfigException("cluster.seeds is for peers mode (--cluster peers); this node's cluster store is "
                    + store + ", where nodes meet through the store");
        }
        for (String seed : seeds) {
            if (PeerAddress.parse(seed) == null) {
                throw new ConfigException("cluster.seeds has " + seed + ": expected host:port with a port from 1 to "
                        + "65535, the HTTP port of a node");
            }
        }
    }

    private static ClusterTls tls(NodeConfig config) {
        Path cert = config.get(ConfigKeys.CLUSTER_TLS_CERTIFICATE);
        Path key = config.get(ConfigKeys.CLUSTER_TLS_KEY);
        Path ca = config.get(ConfigKeys.CLUSTER_TLS_CA);
        if (cert == null && key == null && ca == null) {
            return null;
        }
        if (cert == null || key == null || ca == null) {
            throw new ConfigException("node-to-node TLS needs all three of cluster.tls.certificate, cluster.tls.key "
                    + "and cluster.tls.ca");
        }
        return ClusterTls.load(cert, key, ca);
    }

    static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }
}
