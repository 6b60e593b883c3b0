package io.tributary.cluster.relay;

/**
 * Where a pull goes: a node of the cluster (pulled with a cluster token), or a static origin from
 * {@code cluster.originNodes} (pulled as a plain player).
 */
record RelayTarget(String nodeId, String host, int rtmpPort, boolean clusterNode) {

    String describe() {
        return (clusterNode ? nodeId + " at " : "static origin ") + host + ":" + rtmpPort;
    }
}
