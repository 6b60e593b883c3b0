package io.tributary.bench.run;

import io.tributary.bench.load.HlsPlayers;
import io.tributary.bench.load.LoadGenerator;
import io.tributary.bench.load.LoadSpec;
import io.tributary.bench.load.PlayerGroup;
import io.tributary.bench.publish.MarkedPublisher;
import io.tributary.bench.publish.PublishLog;
import java.nio.file.Path;
import java.time.Duration;

/** The real load: {@link MarkedPublisher} publishing, {@link LoadGenerator} playing, both in this JVM. */
public final class GeneratorLoad implements Load {
    private final Duration readInterval;

    /**
     * @param readInterval how often the players' loop polls for input ({@link LoadGenerator#start(LoadSpec,
     *                     PublishLog, Duration)}); zero polls on every wake-up, as latency measurements need
     */
    public GeneratorLoad(Duration readInterval) {
        this.readInterval = readInterval;
    }

    @Override
    public Publishing publish(String rtmpUrl, Path file) {
        MarkedPublisher publisher = MarkedPublisher.start(rtmpUrl, file);
        return new Marked(publisher);
    }

    @Override
    public PlayerGroup play(LoadSpec spec, Publishing publishing) {
        return spec.protocol().equals("hls") ? HlsPlayers.start(spec)
                : LoadGenerator.start(spec, ((Marked) publishing).publisher.log(), readInterval);
    }

    private record Marked(MarkedPublisher publisher) implements Publishing {
        @Override
        public boolean isPublishing() {
            return publisher.isPublishing();
        }

        @Override
        public long gopMillis() {
            return publisher.log().gopMillis();
        }

        @Override
        public void close() {
            publisher.close();
        }
    }
}
