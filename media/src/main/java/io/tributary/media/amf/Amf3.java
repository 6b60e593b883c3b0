package io.tributary.media.amf;

import io.netty.buffer.ByteBuf;

/**
 * AMF3 decoder, for values an AMF0 stream hands over with the avmplus-object marker (0x11) and
 * for RTMP AMF3 command messages sent by Flash Player clients.
 *
 * <p>Decoded types: undefined as {@link Undefined#INSTANCE}, null, Boolean, integer and double
 * as Double, String, xml and xml-doc as {@link XmlDocument}, date as {@link AmfDate} with
 * timezone 0, byte array as byte[], array as ArrayList (or as an {@link AmfObject} with the dense
 * items keyed "0", "1", ... when it has named entries), and object as {@link AmfObject} (or as a
 * {@link TypedObject} when its traits name a class). Externalizable objects, vectors and
 * dictionaries are rejected.
 */
public final class Amf3 {

    private Amf3() {
    }

    /**
     * Decodes one value at the reader index and advances past it.
     *
     * @throws AmfException if the bytes are malformed, truncated or unsupported; the reader
     *     index is then left where it was
     */
    public static Object read(ByteBuf in) {
        int start = in.readerIndex();
        try {
            return new Amf3Reader(in, 0).readValue();
        } catch (AmfException e) {
            in.readerIndex(start);
            throw e;
        }
    }
}
