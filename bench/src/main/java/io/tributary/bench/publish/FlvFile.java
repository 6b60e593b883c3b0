package io.tributary.bench.publish;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tributary.media.amf.Amf0;
import io.tributary.media.amf.AmfException;
import io.tributary.media.amf.AmfObject;
import io.tributary.media.flv.FlvTags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An FLV file read into memory once, for a publisher that loops it: the metadata and sequence headers to
 * send first, the media tags to send in a loop, and what the loop looks like (duration, frame interval,
 * GOP, bit rate). Tag bodies are views of the one array the file was read into.
 */
public final class FlvFile {
    private static final int AVC = 7;
    private static final int AAC = 10;

    /** One tag: its type (8 audio, 9 video, 18 script), timestamp in milliseconds and body. */
    public record Tag(int type, long timestamp, byte[] file, int offset, int size) {

        /** The body as a buffer sharing the file's bytes. */
        public ByteBuf body() {
            return Unpooled.wrappedBuffer(file, offset, size);
        }

        public int byteAt(int i) {
            return i < size ? file[offset + i] & 0xFF : -1;
        }

        public boolean isVideo() {
            return type == FlvTags.VIDEO;
        }

        public boolean isAudio() {
            return type == FlvTags.AUDIO;
        }

        /** An H.264 coded picture (codec 7, AVCPacketType 1). */
        public boolean isAvcCoded() {
            return isVideo() && (byteAt(0) & 0x8F) == AVC && byteAt(1) == 1;
        }

        public boolean isKeyframe() {
            return isVideo() && (byteAt(0) >> 4 & 0x07) == 1;
        }
    }

    private final AmfObject metadata;
    private final Tag videoConfig;
    private final Tag audioConfig;
    private final List<Tag> media;
    private final long durationMillis;
    private final long frameIntervalMillis;
    private final long gopMillis;
    private final long mediaBytes;

    private FlvFile(AmfObject metadata, Tag videoConfig, Tag audioConfig, List<Tag> media) {
        this.metadata = metadata;
        this.videoConfig = videoConfig;
        this.audioConfig = audioConfig;
        this.media = List.copyOf(media);
        this.durationMillis = media.get(media.size() - 1).timestamp() - media.get(0).timestamp();
        long[] videoTimes = media.stream().filter(Tag::isVideo).mapToLong(Tag::timestamp).toArray();
        this.frameIntervalMillis = Math.max(1, medianGap(videoTimes, 40));
        long[] keyTimes = media.stream().filter(Tag::isKeyframe).mapToLong(Tag::timestamp).toArray();
        // A file with a single keyframe is one GOP as long as the loop.
        this.gopMillis = medianGap(keyTimes, durationMillis + frameIntervalMillis);
        this.mediaBytes = media.stream().mapToLong(Tag::size).sum();
    }

    /**
     * Reads and checks a file.
     *
     * @throws IOException when it cannot be read, is not FLV, or has no H.264 video to mark
     */
    public static FlvFile read(Path path) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        if (bytes.length < FlvTags.FILE_HEADER_SIZE || bytes[0] != 'F' || bytes[1] != 'L' || bytes[2] != 'V') {
            throw new IOException(path + " is not an FLV file");
        }
        int at = (int) uint32(bytes, 5) + 4;
        AmfObject metadata = null;
        Tag videoConfig = null;
        Tag audioConfig = null;
        List<Tag> media = new ArrayList<>();
        while (at + FlvTags.TAG_HEADER_SIZE <= bytes.length) {
            int type = bytes[at] & 0x1F;
            if ((bytes[at] & 0x20) != 0) {
                throw new IOException(path + " has encrypted tags");
            }
            int size = uint24(bytes, at + 1);
            long timestamp = uint24(bytes, at + 4) | (long) (bytes[at + 7] & 0xFF) << 24;
            int body = at + FlvTags.TAG_HEADER_SIZE;
            if (body + size > bytes.length) {
                break; // a file cut short: keep the tags that are whole
            }
            Tag tag = new Tag(type, timestamp, bytes, body, size);
            at = body + size + 4;
            if (size == 0) {
                continue;
            }
            if (type == FlvTags.SCRIPT) {
                if (metadata == null) {
                    metadata = onMetaData(tag);
                }
            } else if (tag.isVideo()) {
                if ((tag.byteAt(0) & 0x8F) != AVC) {
                    throw new IOException(path + " has video that is not H.264; only H.264 frames can be marked");
                }
                if (tag.byteAt(1) == 0) {
                    if (videoConfig == null) {
                        videoConfig = tag;
                    }
                } else if (tag.byteAt(1) == 1) {
                    media.add(tag);
                }
                // AVC end of sequence (2) is left out: a loop has no end.
            } else if (tag.isAudio()) {
                if (tag.byteAt(0) >> 4 == AAC && tag.byteAt(1) == 0) {
                    if (audioConfig == null) {
                        audioConfig = tag;
                    }
                } else {
                    media.add(tag);
                }
            }
        }
        if (videoConfig == null || media.stream().noneMatch(Tag::isAvcCoded)) {
            throw new IOException(path + " has no H.264 video (sequence header and coded frames)");
        }
        return new FlvFile(metadata, videoConfig, audioConfig, media);
    }

    private static AmfObject onMetaData(Tag tag) {
        try {
            List<Object> values = Amf0.readAll(tag.body());
            if (values.size() >= 2 && "onMetaData".equals(values.get(0)) && values.get(1) instanceof AmfObject o) {
                return o;
            }
        } catch (AmfException e) {
            // Metadata that does not parse is left out, as ffmpeg would leave out what it cannot read.
        }
        return null;
    }

    /** The file's onMetaData object, or null. */
    public AmfObject metadata() {
        return metadata;
    }

    /** The AVC sequence header tag. */
    public Tag videoConfig() {
        return videoConfig;
    }

    /** The AAC sequence header tag, or null. */
    public Tag audioConfig() {
        return audioConfig;
    }

    /** Audio and video tags to loop, in file order (no sequence headers, no script tags). */
    public List<Tag> media() {
        return media;
    }

    /** From the first media tag's timestamp to the last's. */
    public long durationMillis() {
        return durationMillis;
    }

    /** The median gap between video frames: what the loop adds between its last frame and the next loop's first. */
    public long frameIntervalMillis() {
        return frameIntervalMillis;
    }

    /** The length of one pass of the loop: the duration plus one frame interval. */
    public long loopMillis() {
        return durationMillis + frameIntervalMillis;
    }

    /** The median keyframe interval. */
    public long gopMillis() {
        return gopMillis;
    }

    /** Media payload bytes (tag bodies) per second of loop, in bits per second. */
    public long bitsPerSecond() {
        return mediaBytes * 8 * 1000 / loopMillis();
    }

    private static long medianGap(long[] times, long fallback) {
        if (times.length < 2) {
            return fallback;
        }
        long[] gaps = new long[times.length - 1];
        for (int i = 1; i < times.length; i++) {
            gaps[i - 1] = times[i] - times[i - 1];
        }
        Arrays.sort(gaps);
        return gaps[gaps.length / 2];
    }

    private static int uint24(byte[] b, int at) {
        return (b[at] & 0xFF) << 16 | (b[at + 1] & 0xFF) << 8 | b[at + 2] & 0xFF;
    }

    private static long uint32(byte[] b, int at) {
        return (long) (b[at] & 0xFF) << 24 | uint24(b, at + 1);
    }
}
