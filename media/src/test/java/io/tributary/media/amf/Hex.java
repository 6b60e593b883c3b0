package io.tributary.media.amf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/** Hex byte vectors for the AMF tests; whitespace in vectors is only for the reader's eye. */
final class Hex {

    private Hex() {
    }

    static ByteBuf buf(String hex) {
        return Unpooled.wrappedBuffer(bytes(hex));
    }

    static byte[] bytes(String hex) {
        return ByteBufUtil.decodeHexDump(normalize(hex));
    }

    static String normalize(String hex) {
        return hex.replaceAll("\\s+", "").toLowerCase();
    }

    static String of(ByteBuf buf) {
        return ByteBufUtil.hexDump(buf);
    }
}
