package io.tributary.rtmp.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.tributary.media.Frame;
import io.tributary.media.flv.FlvFrames;

/**
 * A stream of FLV-bodied frames like an encoder's: a real 640x360 AVC configuration, AAC LC 44.1 kHz
 * stereo, 25 fps video with a keyframe every {@code gop} frames and 43 audio frames a second.
 */
final class SyntheticStream {
    static final byte[] AVC_CONFIG = ByteBufUtil.decodeHexDump(
            "0142C01EFFE100196742C01ED900A02FF970110000030001000003003C0F162E4801000568CB83CB20");
    static final byte[] AAC_CONFIG = {0x12, 0x10};

    private SyntheticStream() {
    }

    static Frame videoConfig(long ts) {
        ByteBuf b = Unpooled.buffer().writeBytes(new byte[] {0x17, 0, 0, 0, 0}).writeBytes(AVC_CONFIG);
        return FlvFrames.video(ts, b);
    }

    static Frame audioConfig(long ts) {
        return FlvFrames.audio(ts, Unpooled.buffer().writeByte(0xAF).writeByte(0).writeBytes(AAC_CONFIG));
    }

    /** A picture of {@code size} payload bytes; the first payload byte carries the frame number. */
    static Frame video(long ts, boolean key, int number, int size) {
        ByteBuf b = Unpooled.buffer(5 + 4 + size);
        b.writeByte(key ? 0x17 : 0x27).writeByte(1).writeMedium(0);
        b.writeInt(size);
        b.writeByte(number & 0xFF);
        b.writeZero(size - 1);
        return FlvFrames.video(ts, b);
    }

    static Frame audio(long ts) {
        ByteBuf b = Unpooled.buffer(2 + 200).writeByte(0xAF).writeByte(1).writeZero(200);
        return FlvFrames.audio(ts, b);
    }
}
