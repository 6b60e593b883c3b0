package io.tributary.media;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * One timed media unit on its way from a publisher to every subscriber.
 *
 * <p>The payload is kept as an FLV tag body ({@link #body()}): that is what RTMP and HTTP-FLV put on the
 * wire unchanged, so fan-out never re-encodes or copies it per player; muxers that need the bare codec
 * data read it from {@link #data()}. The body is reference counted and shared by every holder: each
 * holder retains the frame while it keeps it and releases it when done.
 */
public final class Frame implements ReferenceCounted {

    /** What role a frame plays in its track. */
    public enum Type {
        /** Decoder configuration (AVC/HEVC decoder record, AAC AudioSpecificConfig): a sequence header. */
        CONFIG,
        /** Coded media (pictures, audio frames). */
        CODED,
        /** End of a coded sequence. */
        SEQUENCE_END,
        /** Script data, or a video/audio packet that carries information rather than media. */
        INFO
    }

    private final Codec codec;
    private final Type type;
    private final boolean keyframe;
    private final long dts;
    private final int cts;
    private final ByteBuf body;
    private final int dataOffset;

    public Frame(Codec codec, Type type, boolean keyframe, long dts, int cts, ByteBuf body, int dataOffset) {
        if (dataOffset < 0 || dataOffset > body.readableBytes()) {
            throw new IllegalArgumentException("data offset " + dataOffset + " outside a body of "
                    + body.readableBytes() + " bytes");
        }
        this.codec = codec;
        this.type = type;
        this.keyframe = keyframe;
        this.dts = dts;
        this.cts = cts;
        this.body = body;
        this.dataOffset = dataOffset;
    }

    public TrackKind kind() {
        return codec.kind();
    }

    public Codec codec() {
        return codec;
    }

    public Type type() {
        return type;
    }

    public boolean isVideo() {
        return codec.kind() == TrackKind.VIDEO;
    }

    public boolean isAudio() {
        return codec.kind() == TrackKind.AUDIO;
    }

    public boolean isConfig() {
        return type == Type.CONFIG;
    }

    /** A coded video picture a decoder can start from. */
    public boolean isKeyframe() {
        return keyframe;
    }

    /** Decoding time in milliseconds. */
    public long dts() {
        return dts;
    }

    /** Composition offset in milliseconds: pts = dts + cts. */
    public int cts() {
        return cts;
    }

    public long pts() {
        return dts + cts;
    }

    /** The FLV tag body (tag header fields plus codec data); the reader index is never moved by holders. */
    public ByteBuf body() {
        return body;
    }

    /** The bare codec data (AVCC NAL units, raw AAC, ...), a view into the body. */
    public ByteBuf data() {
        return body.slice(body.readerIndex() + dataOffset, body.readableBytes() - dataOffset);
    }

    public int size() {
        return body.readableBytes();
    }

    /** The same media on another time base; shares (and takes over one reference to) the body. */
    public Frame withDts(long newDts) {
        return newDts == dts ? this : new Frame(codec, type, keyframe, newDts, cts, body, dataOffset);
    }

    @Override
    public int refCnt() {
        return body.refCnt();
    }

    @Override
    public Frame retain() {
        body.retain();
        return this;
    }

    @Override
    public Frame retain(int increment) {
        body.retain(increment);
        return this;
    }

    @Override
    public Frame touch() {
        body.touch();
        return this;
    }

    @Override
    public Frame touch(Object hint) {
        body.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return body.release();
    }

    @Override
    public boolean release(int decrement) {
        return body.release(decrement);
    }

    @Override
    public String toString() {
        return codec.shortName() + ' ' + type + (keyframe ? " key" : "") + " dts=" + dts
                + (cts != 0 ? " cts=" + cts : "") + " size=" + size();
    }
}
