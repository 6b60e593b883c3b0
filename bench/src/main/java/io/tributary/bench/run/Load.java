package io.tributary.bench.run;

import io.tributary.bench.load.LevelResult;
import io.tributary.bench.load.LoadSpec;
import io.tributary.bench.load.PlayerGroup;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The load side of a run, as the runner uses it: one publisher that keeps publishing for the whole run on a
 * target, and players started and closed level by level. {@link GeneratorLoad} is the real one (the marked
 * publisher and the load generator, in this JVM).
 */
public interface Load {

    /** Starts publishing {@code file} in a loop to {@code rtmpUrl}. */
    Publishing publish(String rtmpUrl, Path file);

    /** Starts connecting the players of {@code spec}, who watch what {@code publishing} sends. */
    PlayerGroup play(LoadSpec spec, Publishing publishing);

    /** A publisher in the middle of publishing. */
    interface Publishing extends AutoCloseable {
        boolean isPublishing();

        /** The published file's GOP, which is also how far behind a player may fall before it fails. */
        long gopMillis();

        @Override
        void close();
    }
}
