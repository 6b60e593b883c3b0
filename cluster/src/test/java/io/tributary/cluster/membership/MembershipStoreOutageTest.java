package io.tributary.cluster.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tributary.cluster.node.NodeState;
import io.tributary.cluster.store.EmbeddedStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A store that stops answering (Redis or MongoDB gone) says nothing about the nodes: membership logs it
 * once, judges nobody while it lasts, and registers again and tells its listeners when the store returns.
 * Period 100 ms, dead after 400 ms; the outages last three times that.
 */
class MembershipStoreOutageTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration OUTAGE = Duration.ofMillis(1200);

    @TempDir
    Path dataDir;

    private EmbeddedStore store;
    private final List<TestMember> members = new ArrayList<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger membershipLog = (Logger) LoggerFactory.getLogger(Membership.class);

    @BeforeEach
    void open() {
        store = EmbeddedStore.open(dataDir);
        logs.start();
        membershipLog.addAppender(logs);
    }

    @AfterEach
    void close() {
        membershipLog.detachAppender(logs);
        members.forEach(TestMember::close);
        store.close();
    }

    private TestMember start(FaultyStore via, String nodeId) {
        TestMember m = TestMember.start(via, nodeId, TestMember.fast());
        members.add(m);
        return m;
    }

    /** WARN lines saying the store is unavailable, counted by the membership thread that wrote them. */
    private Map<String, Long> unavailableWarnings() {
        return logs.list.stream()
                .filter(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().startsWith("cluster store unavailable"))
                .collect(Collectors.groupingBy(ILoggingEvent::getThreadName, Collectors.counting()));
    }

    private long taskFailures() {
        return logs.list.stream().filter(e -> e.getFormattedMessage().startsWith("membership task failed")).count();
    }

    private static boolean judgedNobodyDead(List<TestMember> ms) {
        return ms.stream().noneMatch(m -> m.events().everWent(NodeState.DEAD) || !m.events().declaredDead().isEmpty());
    }

    private static boolean allSeeAllAlive(List<TestMember> ms) {
        return ms.stream().allMatch(m -> m.membership().nodes().size() == ms.size()
                && m.membership().nodes().stream().allMatch(v -> v.state() == NodeState.ALIVE));
    }

    @Test
    void whenTheWholeStoreIsDownNobodyIsJudgedDeadAndEveryoneReconnectsWhenItReturns() {
        FaultyStore shared = new FaultyStore(store);
        List<TestMember> ms = List.of(start(shared, "node-a"), start(shared, "node-b"), start(shared, "node-c"));
        await().atMost(WAIT).until(() -> allSeeAllAlive(ms));

        shared.down(true);

        await().atMost(WAIT).until(() -> ms.stream().noneMatch(m -> m.membership().storeAvailable()));
        await().during(OUTAGE).atMost(OUTAGE.plus(WAIT)).until(() -> judgedNobodyDead(ms));
        assertThat(shared.refusedCalls()).as("the nodes kept trying").isGreaterThan(20);
        assertThat(unavailableWarnings()).as("one warning per node, whatever the length of the outage")
                .containsOnlyKeys("membership-node-a", "membership-node-b", "membership-node-c")
                .allSatisfy((thread, count) -> assertThat(count).isEqualTo(1));
        assertThat(taskFailures()).as("no stack traces for an expected outage").isZero();
        assertThat(ms).allSatisfy(m -> assertThat(m.events().reconnects()).isZero());

        shared.down(false);

        await().atMost(WAIT).until(() -> ms.stream().allMatch(m -> m.events().reconnects() == 1));
        assertThat(ms).allSatisfy(m -> assertThat(m.membership().storeAvailable()).isTrue());
        await().atMost(WAIT).until(() -> allSeeAllAlive(ms));
        // The clocks restarted from the return: no mass death a dead-threshold later either.
        await().during(Duration.ofMillis(800)).atMost(WAIT).until(() -> judgedNobodyDead(ms) && allSeeAllAlive(ms));
        assertThat(ms).allSatisfy(m -> assertThat(m.events().reconnects()).isEqualTo(1));
        assertThat(unavailableWarnings().values()).allSatisfy(count -> assertThat(count).isEqualTo(1));
    }

    @Test
    void aNodeCutOffFromTheStoreJudgesNobodyWhileTheOthersDeclareItDeadAndItComesBack() {
        FaultyStore cutOff = new FaultyStore(store);
        FaultyStore fine = new FaultyStore(store);
        TestMember a = start(cutOff, "node-a");
        TestMember b = start(fine, "node-b");
        TestMember c = start(fine, "node-c");
        List<TestMember> ms = List.of(a, b, c);
        await().atMost(WAIT).until(() -> allSeeAllAlive(ms));

        cutOff.down(true);

        await().atMost(WAIT).until(() -> !a.membership().storeAvailable());
        // a cannot see b and c heartbeat, and must not conclude anything from it.
        await().during(OUTAGE).atMost(OUTAGE.plus(WAIT)).until(() -> judgedNobodyDead(List.of(a)));
        // b and c cannot see a heartbeat: for them a is dead, and one of them cleans up after it.
        assertThat(b.membership().state("node-a")).contains(NodeState.DEAD);
        assertThat(c.membership().state("node-a")).contains(NodeState.DEAD);
        assertThat(b.events().declaredDead().size() + c.events().declaredDead().size()).isEqualTo(1);
        assertThat(unavailableWarnings()).containsOnlyKeys("membership-node-a").containsEntry("membership-node-a", 1L);

        cutOff.down(false);

        await().atMost(WAIT).until(() -> a.events().reconnects() == 1);
        await().atMost(WAIT).until(() -> allSeeAllAlive(ms));
        assertThat(b.events().firstTimeTo("node-a", NodeState.ALIVE)).as("b saw a come back").isPositive();
        assertThat(store.node("node-a").orElseThrow().markedDead()).isFalse();
        assertThat(b.events().reconnects() + c.events().reconnects()).isZero();
    }
}
