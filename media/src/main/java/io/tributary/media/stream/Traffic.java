package io.tributary.media.stream;

import java.util.concurrent.atomic.LongAdder;

/** Media bytes this node has received from publishers and sent to subscribers, for load reports and metrics. */
public final class Traffic {
    private final LongAdder ingress = new LongAdder();
    private final LongAdder egress = new LongAdder();

    void received(long bytes) {
        ingress.add(bytes);
    }

    void sent(long bytes) {
        egress.add(bytes);
    }

    public long ingressBytes() {
        return ingress.sum();
    }

    public long egressBytes() {
        return egress.sum();
    }
}
