package io.tributary.media.stream;

import io.tributary.media.Frame;
import java.util.List;

/**
 * What a new subscriber needs to start playing: which tracks exist, the codec configurations, metadata
 * and the frames of the current GOP (starting with a keyframe). The frames are retained for the
 * snapshot and released by {@link #release()}.
 */
public record StreamSnapshot(boolean hasVideo, boolean hasAudio, boolean publisherPresent, Frame metadata,
                             Frame videoConfig, Frame audioConfig, List<Frame> gop) {

    /** The frames in the order a player needs them: metadata, configurations, then the GOP. */
    public void forEachFrame(java.util.function.Consumer<Frame> action) {
        if (metadata != null) {
            action.accept(metadata);
        }
        if (videoConfig != null) {
            action.accept(videoConfig);
        }
        if (audioConfig != null) {
            action.accept(audioConfig);
        }
        gop.forEach(action);
    }

    void release() {
        forEachFrame(Frame::release);
    }
}
