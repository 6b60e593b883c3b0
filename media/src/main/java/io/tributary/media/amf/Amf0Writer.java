package io.tributary.media.amf;

import static io.tributary.media.amf.Amf0Reader.*;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Encodes Java values as AMF0. References (0x07) are never written: commands and metadata are
 * small trees, and some players mishandle references.
 */
final class Amf0Writer {

    private static final int MAX_SHORT_STRING = 0xFFFF;

    private final ByteBuf out;
    private int depth;

    Amf0Writer(ByteBuf out) {
        this.out = out;
    }

    void writeValue(Object value) {
        if (value == null) {
            out.writeByte(NULL);
        } else if (value instanceof Undefined) {
            out.writeByte(UNDEFINED);
        } else if (value instanceof Number n) {
            out.writeByte(NUMBER).writeDouble(n.doubleValue());
        } else if (value instanceof Boolean b) {
            out.writeByte(BOOLEAN).writeByte(b ? 1 : 0);
        } else if (value instanceof String s) {
            writeString(s);
        } else if (value instanceof AmfDate d) {
            out.writeByte(DATE).writeDouble(d.epochMillis()).writeShort(d.timezone());
        } else if (value instanceof XmlDocument x) {
            byte[] utf8 = x.xml().getBytes(StandardCharsets.UTF_8);
            out.writeByte(XML_DOCUMENT).writeInt(utf8.length).writeBytes(utf8);
        } else if (value instanceof TypedObject t) {
            out.writeByte(TYPED_OBJECT);
            writeName(t.className());
            writeProperties(t.fields());
        } else if (value instanceof EcmaArray a) {
            // The count is advisory (readers stop at the object-end marker) but must be right.
            out.writeByte(ECMA_ARRAY).writeInt(a.size());
            writeProperties(a);
        } else if (value instanceof Map<?, ?> m) {
            out.writeByte(OBJECT);
            writeProperties(m);
        } else if (value instanceof List<?> l) {
            writeStrictArray(l.size(), l);
        } else if (value instanceof Object[] a) {
            writeStrictArray(a.length, Arrays.asList(a));
        } else {
            throw new IllegalArgumentException(
                    "AMF0 cannot encode values of type " + value.getClass().getTypeName());
        }
    }

    private void writeString(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_SHORT_STRING) {
            out.writeByte(LONG_STRING).writeInt(utf8.length);
        } else {
            out.writeByte(STRING).writeShort(utf8.length);
        }
        out.writeBytes(utf8);
    }

    /** Property names and class names have a 16-bit length and no long form. */
    private void writeName(String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_SHORT_STRING) {
            throw new IllegalArgumentException("AMF0 name is " + utf8.length
                    + " UTF-8 bytes, the limit is " + MAX_SHORT_STRING);
        }
        out.writeShort(utf8.length).writeBytes(utf8);
    }

    private void writeProperties(Map<?, ?> properties) {
        enter();
        for (Map.Entry<?, ?> e : properties.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("AMF0 object keys must be strings, got "
                        + (e.getKey() == null ? "null" : e.getKey().getClass().getTypeName()));
            }
            writeName(key);
            writeValue(e.getValue());
        }
        out.writeShort(0).writeByte(OBJECT_END);
        depth--;
    }

    private void writeStrictArray(int size, List<?> items) {
        enter();
        out.writeByte(STRICT_ARRAY).writeInt(size);
        for (Object item : items) {
            writeValue(item);
        }
        depth--;
    }

    private void enter() {
        // The same limit as the reader, so whatever we write we can read back; it also turns a
        // cyclic structure into an error instead of a StackOverflowError.
        if (++depth > AmfInput.MAX_DEPTH) {
            throw new IllegalArgumentException("AMF0 value nests deeper than "
                    + AmfInput.MAX_DEPTH + " levels (is it cyclic?)");
        }
    }
}
