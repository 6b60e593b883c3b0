package io.tributary.hls.ts;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tributary.media.Frame;
import io.tributary.media.codec.AacConfig;

/**
 * AAC frames waiting to go out together as one audio PES, each behind its ADTS header. A raw AAC frame
 * is a few hundred bytes; alone in a PES it would pay 14 bytes of PES header and on average half a
 * transport packet of stuffing, so frames are gathered, up to {@link #MAX_FRAMES} or
 * {@link #MAX_DURATION_MILLIS} of sound, whichever comes first.
 *
 * <p>The frames' bytes are copied in as they arrive (audio is small), so the muxer holds no reference to
 * a caller's frame between calls. One instance per muxer, reused for every PES.
 */
final class AdtsPes implements PesPayload {
    static final int MAX_FRAMES = 5;
    /** Also keeps PCRs on an audio-only stream within 13818-1's 100 ms of each other. */
    static final int MAX_DURATION_MILLIS = 100;

    private static final int ADTS_SIZE = 7;
    private static final int MAX_ADTS_FRAME = (1 << 13) - 1;
    private static final int SAMPLES_PER_FRAME = 1024;

    private final ByteBuf header = Unpooled.buffer(PesHeader.PTS_ONLY_SIZE);
    private final ByteBuf frames = Unpooled.buffer(4096);
    private final byte[] adts = new byte[ADTS_SIZE];
    private double frameMillis;
    private int count;
    private long firstPts;
    private long lastPts;
    private int remaining;

    /**
     * Sets the configuration that the ADTS headers of frames added from now on describe.
     *
     * @throws io.tributary.media.codec.CodecConfigException when ADTS cannot describe it
     */
    void configure(AacConfig config) {
        System.arraycopy(config.adtsHeader(0), 0, adts, 0, ADTS_SIZE);
        // An HE-AAC frame is 1024 samples of its core, which runs at half the output rate.
        frameMillis = SAMPLES_PER_FRAME * 1000.0 / config.sampleRate();
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Whether {@code frame} would make the PES too long: it has to start the next one. */
    boolean wouldOverflow(Frame frame) {
        return count > 0 && (count == MAX_FRAMES || frame.pts() - firstPts + frameMillis > MAX_DURATION_MILLIS);
    }

    /** Whether the PES is as long as it may get. */
    boolean isFull() {
        return count == MAX_FRAMES || lastPts - firstPts + 2 * frameMillis > MAX_DURATION_MILLIS;
    }

    /**
     * Checks that a raw AAC frame ({@code aac}, the data of {@code frame}) fits in an ADTS frame.
     *
     * @throws IllegalArgumentException when it is too long for ADTS's 13-bit frame length
     */
    static void requireFits(Frame frame, ByteBuf aac) {
        if (ADTS_SIZE + aac.readableBytes() > MAX_ADTS_FRAME) {
            throw new IllegalArgumentException("AAC frame at dts " + frame.dts() + " has " + aac.readableBytes()
                    + " bytes; ADTS carries at most " + (MAX_ADTS_FRAME - ADTS_SIZE));
        }
    }

    /** Adds a raw AAC frame ({@code aac}, the data of {@code frame}) behind its ADTS header. */
    void add(Frame frame, ByteBuf aac) {
        requireFits(frame, aac);
        int frameLength = ADTS_SIZE + aac.readableBytes();
        if (count == 0) {
            firstPts = frame.pts();
        }
        lastPts = frame.pts();
        count++;
        // aac_frame_length (13 bits) spans bytes 3 to 5 of the header; the rest stays as configured.
        adts[3] = (byte) (adts[3] & 0xFC | frameLength >> 11);
        adts[4] = (byte) (frameLength >> 3);
        adts[5] = (byte) ((frameLength & 7) << 5 | adts[5] & 0x1F);
        frames.writeBytes(adts);
        frames.writeBytes(aac);
    }

    /** Millisecond PTS of the first frame held: the PES's PTS. */
    long firstPts() {
        return firstPts;
    }

    /** Puts the PES header in front of the frames held; they are then written with {@link #writeTo}. */
    void seal() {
        long pts = PesHeader.clock90k(firstPts);
        header.clear();
        PesHeader.write(header, PesHeader.AUDIO_STREAM_ID, frames.readableBytes(), pts, pts);
        remaining = header.readableBytes() + frames.readableBytes();
    }

    @Override
    public int remaining() {
        return remaining;
    }

    @Override
    public void writeTo(ByteBuf out, int n) {
        remaining -= n;
        int fromHeader = Math.min(n, header.readableBytes());
        out.writeBytes(header, fromHeader);
        out.writeBytes(frames, n - fromHeader);
        if (remaining == 0) {
            frames.clear();
            count = 0;
        }
    }
}
