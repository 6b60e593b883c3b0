package io.tributary.media.amf;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * AMF0 codec: the encoding of RTMP command messages (connect, publish, play, _result, onStatus)
 * and FLV script tags (onMetaData).
 *
 * <p>Decoded types: number as Double, boolean as Boolean, string and long string as String,
 * object as {@link AmfObject}, ECMA array as {@link EcmaArray}, strict array as ArrayList, null
 * as null, undefined as {@link Undefined#INSTANCE}, date as {@link AmfDate}, XML as
 * {@link XmlDocument}, typed object as {@link TypedObject}, and the AMF3 switch marker (0x11) as
 * whatever {@link Amf3} decodes. A reference decodes to the very instance it refers to, so
 * decoded graphs may share or contain themselves.
 */
public final class Amf0 {

    private Amf0() {
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
            return new Amf0Reader(in).readValue();
        } catch (AmfException e) {
            in.readerIndex(start);
            throw e;
        }
    }

    /**
     * Decodes values until the buffer has no readable bytes, as in a command message body.
     *
     * @throws AmfException if any value is bad; the reader index is then left where it was
     */
    public static List<Object> readAll(ByteBuf in) {
        int start = in.readerIndex();
        List<Object> values = new ArrayList<>();
        try {
            while (in.isReadable()) {
                // Each value gets its own reference table, as each is a separate top-level value.
                values.add(new Amf0Reader(in).readValue());
            }
        } catch (AmfException e) {
            in.readerIndex(start);
            throw e;
        }
        return values;
    }

    /**
     * Encodes one value: any Number as a number, String (as a long string past 65535 UTF-8
     * bytes), Boolean, null, {@link Undefined}, {@link AmfDate}, {@link XmlDocument},
     * {@link TypedObject}, {@link EcmaArray} as an ECMA array, any other Map with String keys as
     * an object, and List or Object[] as a strict array.
     *
     * @throws IllegalArgumentException naming the type it cannot encode; nothing is written then
     */
    public static void write(ByteBuf out, Object value) {
        int start = out.writerIndex();
        try {
            new Amf0Writer(out).writeValue(value);
        } catch (RuntimeException e) {
            out.writerIndex(start);
            throw e;
        }
    }

    /** Encodes each value in turn, as in a command message body; all or nothing. */
    public static void writeAll(ByteBuf out, Object... values) {
        int start = out.writerIndex();
        try {
            for (Object value : values) {
                new Amf0Writer(out).writeValue(value);
            }
        } catch (RuntimeException e) {
            out.writerIndex(start);
            throw e;
        }
    }
}
