package io.tributary.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.media.StreamPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** HLS sessions: signed for one stream until their expiry, checked by any node that shares the key. */
class MediaSessionsTest {
    private static final StreamPath CAM = new StreamPath("live", "cam");
    private static final byte[] CLUSTER_KEY = "a key derived from the cluster secret".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OLD_KEY = "a key derived from the previous one".getBytes(StandardCharsets.UTF_8);

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final MediaSessions sessions = MediaSessions.of(List.of(CLUSTER_KEY), Duration.ofHours(4), now::get);

    @Test
    void aSessionOpensItsStreamUntilItExpires() {
        String session = sessions.issue(CAM);

        assertThat(sessions.check(session, CAM)).isEmpty();
        now.addAndGet(Duration.ofHours(4).toMillis() - 1000);
        assertThat(sessions.check(session, CAM)).isEmpty();
        now.addAndGet(1000);
        assertThat(sessions.check(session, CAM)).hasValueSatisfying(why -> assertThat(why).contains("expired"));
    }

    @Test
    void aSessionOpensNoOtherStream() {
        String session = sessions.issue(CAM);

        assertThat(sessions.check(session, new StreamPath("live", "other"))).isPresent();
        assertThat(sessions.check(session, new StreamPath("other", "cam"))).isPresent();
    }

    @Test
    void aSessionCannotBeStretchedOrForged() {
        String session = sessions.issue(CAM);
        String expiry = session.substring(0, session.indexOf('.'));
        String stretched = (Long.parseLong(expiry) + 3600) + session.substring(session.indexOf('.'));

        assertThat(sessions.check(stretched, CAM)).hasValueSatisfying(why -> assertThat(why).contains("not one"));
        assertThat(sessions.check("garbage", CAM)).hasValueSatisfying(why -> assertThat(why).contains("malformed"));
        assertThat(sessions.check(expiry + ".", CAM)).isPresent();
        assertThat(MediaSessions.of(List.of(OLD_KEY), Duration.ofHours(4), now::get).check(session, CAM)).isPresent();
    }

    @Test
    void nodesOfOneClusterAcceptEachOthersSessionsAlsoDuringASecretRotation() {
        MediaSessions oldNode = MediaSessions.of(List.of(OLD_KEY), Duration.ofHours(4), now::get);
        MediaSessions rotated = MediaSessions.of(List.of(CLUSTER_KEY, OLD_KEY), Duration.ofHours(4), now::get);

        assertThat(rotated.check(oldNode.issue(CAM), CAM)).isEmpty();
        assertThat(MediaSessions.of(List.of(CLUSTER_KEY), Duration.ofHours(4), now::get).check(sessions.issue(CAM), CAM))
                .isEmpty();
    }

    @Test
    void aNodeWithoutAClusterSecretSignsWithAKeyOfItsOwn() {
        MediaSessions one = MediaSessions.of(List.of(), Duration.ofHours(4), now::get);
        MediaSessions another = MediaSessions.of(List.of(), Duration.ofHours(4), now::get);

        assertThat(one.check(one.issue(CAM), CAM)).isEmpty();
        assertThat(another.check(one.issue(CAM), CAM)).isPresent();
    }
}
