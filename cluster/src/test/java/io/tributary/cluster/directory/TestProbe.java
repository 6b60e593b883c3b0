package io.tributary.cluster.directory;

import io.tributary.cluster.node.NodeRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An origin health check whose answer the test sets, remembering whom it was asked about and how patiently. */
final class TestProbe implements OriginProbe {

    /** One health check. */
    record Asked(String nodeId, Duration timeout) {
    }

    private final List<Asked> asked = new CopyOnWriteArrayList<>();
    private volatile boolean answers = true;

    /** Whether origins answer their health check from now on. */
    void answers(boolean answers) {
        this.answers = answers;
    }

    List<Asked> asked() {
        return List.copyOf(asked);
    }

    @Override
    public boolean answers(NodeRecord node, Duration timeout) {
        asked.add(new Asked(node.id(), timeout));
        return answers;
    }
}
