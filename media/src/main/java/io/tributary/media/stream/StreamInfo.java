package io.tributary.media.stream;

import io.tributary.media.Codec;
import io.tributary.media.Frame;
import io.tributary.media.codec.AacConfig;
import io.tributary.media.codec.AvcConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a stream carries, as the REST API and the dashboard show it: codecs, resolution, frame rate and
 * audio format. Built from the codec configurations when they arrive, never per frame.
 */
public record StreamInfo(Codec videoCodec, int width, int height, double frameRate, Codec audioCodec,
                         int sampleRate, int channels) {
    private static final Logger log = LoggerFactory.getLogger(StreamInfo.class);

    public static final StreamInfo EMPTY = new StreamInfo(null, 0, 0, 0, null, 0, 0);

    StreamInfo withVideo(Frame config) {
        int w = 0;
        int h = 0;
        double fps = frameRate;
        if (config.codec() == Codec.H264) {
            try {
                AvcConfig avc = AvcConfig.parse(config.data());
                w = avc.width();
                h = avc.height();
                if (avc.firstSps().frameRate() > 0) {
                    fps = avc.firstSps().frameRate();
                }
            } catch (RuntimeException e) {
                log.warn("unreadable AVC decoder configuration ({} bytes): {}", config.data().readableBytes(),
                        e.getMessage());
            }
        }
        return new StreamInfo(config.codec(), w, h, fps, audioCodec, sampleRate, channels);
    }

    StreamInfo withAudio(Frame config) {
        int rate = 0;
        int ch = 0;
        if (config.codec() == Codec.AAC) {
            try {
                AacConfig aac = AacConfig.parse(config.data());
                rate = aac.sampleRate();
                ch = aac.channels();
            } catch (RuntimeException e) {
                log.warn("unreadable AAC configuration: {}", e.getMessage());
            }
        }
        return new StreamInfo(videoCodec, width, height, frameRate, config.codec(), rate, ch);
    }

    /** Codecs without a configuration record (MP3, legacy FLV) are known from their first frame. */
    StreamInfo withCodecOf(Frame frame) {
        if (frame.isVideo() && videoCodec == null) {
            return new StreamInfo(frame.codec(), width, height, frameRate, audioCodec, sampleRate, channels);
        }
        if (frame.isAudio() && audioCodec == null) {
            return new StreamInfo(videoCodec, width, height, frameRate, frame.codec(), sampleRate, channels);
        }
        return this;
    }

    StreamInfo withFrameRate(double fps) {
        return fps > 0 && frameRate == 0
                ? new StreamInfo(videoCodec, width, height, fps, audioCodec, sampleRate, channels) : this;
    }
}
