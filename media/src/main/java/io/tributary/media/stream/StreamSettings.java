package io.tributary.media.stream;

import java.time.Duration;

/**
 * How live streams buffer and how patient they are with slow players and absent publishers.
 *
 * @param republishGrace players of a stream whose publisher left wait this long for it to return
 * @param gopCacheMaxBytes a GOP larger than this is not cached (new players then wait for a keyframe)
 * @param playerMaxLag a player further behind than this skips to the next keyframe
 * @param playerMaxDrops skips within a minute after which a player is disconnected
 */
public record StreamSettings(Duration republishGrace, long gopCacheMaxBytes, Duration playerMaxLag,
                             int playerMaxDrops) {

    public static StreamSettings defaults() {
        return new StreamSettings(Duration.ofSeconds(10), 16L << 20, Duration.ofSeconds(5), 3);
    }
}
