package io.tributary.media.amf;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes one top-level AMF3 value. One instance per top-level value, because the string, object
 * and traits reference tables are scoped to it. Decode only: we never need to send AMF3.
 */
final class Amf3Reader {

    private static final int UNDEFINED = 0x00;
    private static final int NULL = 0x01;
    private static final int FALSE = 0x02;
    private static final int TRUE = 0x03;
    private static final int INTEGER = 0x04;
    private static final int DOUBLE = 0x05;
    private static final int STRING = 0x06;
    private static final int XML_DOC = 0x07;
    private static final int DATE = 0x08;
    private static final int ARRAY = 0x09;
    private static final int OBJECT = 0x0A;
    private static final int XML = 0x0B;
    private static final int BYTE_ARRAY = 0x0C;
    private static final int VECTOR_INT = 0x0D;
    private static final int VECTOR_OBJECT = 0x10;
    private static final int DICTIONARY = 0x11;

    /** Class name, sealed member names and dynamic flag shared by objects of one class. */
    private record Traits(String className, List<String> sealedNames, boolean dynamic) {
    }

    private final AmfInput in;
    private final List<String> strings = new ArrayList<>();
    /** Xml, dates, arrays, objects and byte arrays, in the order they were opened. */
    private final List<Object> objects = new ArrayList<>();
    private final List<Traits> traits = new ArrayList<>();
    private int depth;

    /** @param depth container depth already used by an enclosing AMF0 value */
    Amf3Reader(ByteBuf buf, int depth) {
        this.in = new AmfInput(buf, "AMF3");
        this.depth = depth;
    }

    Object readValue() {
        int offset = in.offset();
        int marker = in.u8("type marker");
        return switch (marker) {
            case UNDEFINED -> Undefined.INSTANCE;
            case NULL -> null;
            case FALSE -> Boolean.FALSE;
            case TRUE -> Boolean.TRUE;
            // Shift the 29-bit value to the top of the int and back to extend its sign.
            case INTEGER -> (double) (readU29("integer") << 3 >> 3);
            case DOUBLE -> in.f64("double");
            case STRING -> readString();
            case XML_DOC, XML -> readXml();
            case DATE -> readDate();
            case ARRAY -> readArray(offset);
            case OBJECT -> readObject(offset);
            case BYTE_ARRAY -> readByteArray();
            case DICTIONARY -> throw in.fail("dictionary marker 0x11 is not supported", offset);
            default -> {
                if (marker >= VECTOR_INT && marker <= VECTOR_OBJECT) {
                    throw in.fail(String.format("vector marker 0x%02X is not supported", marker),
                            offset);
                }
                throw in.fail(String.format("unknown marker 0x%02X", marker), offset);
            }
        };
    }

    /** U29: 1 to 4 bytes, 7 bits per byte with a continuation bit, all 8 bits of a 4th byte. */
    private int readU29(String what) {
        int value = 0;
        for (int i = 0; i < 3; i++) {
            int b = in.u8(what);
            if ((b & 0x80) == 0) {
                return value << 7 | b;
            }
            value = value << 7 | (b & 0x7F);
        }
        return value << 8 | in.u8(what);
    }

    private String readString() {
        int offset = in.offset();
        int header = readU29("string header");
        if ((header & 1) == 0) {
            int index = header >>> 1;
            if (index >= strings.size()) {
                throw in.fail("string reference " + index + " points past the " + strings.size()
                        + " strings decoded so far", offset);
            }
            return strings.get(index);
        }
        String s = in.utf8(header >>> 1, "string", offset);
        // The empty string is never sent by reference, so it takes no slot in the table.
        if (!s.isEmpty()) {
            strings.add(s);
        }
        return s;
    }

    private Object readXml() {
        int offset = in.offset();
        int header = readU29("xml header");
        if ((header & 1) == 0) {
            return objectReference(header >>> 1, offset);
        }
        return register(new XmlDocument(in.utf8(header >>> 1, "xml", offset)));
    }

    private Object readDate() {
        int offset = in.offset();
        int header = readU29("date header");
        if ((header & 1) == 0) {
            return objectReference(header >>> 1, offset);
        }
        return register(new AmfDate(in.f64("date"), (short) 0));
    }

    private Object readByteArray() {
        int offset = in.offset();
        int header = readU29("byte array header");
        if ((header & 1) == 0) {
            return objectReference(header >>> 1, offset);
        }
        return register(in.bytes(header >>> 1, "byte array", offset));
    }

    /**
     * An array is an associative part (name/value pairs up to an empty name) then a dense part.
     * With no associative entries it is a list; otherwise one object holds both, the dense items
     * keyed by index, because Java has no type that is both.
     */
    private Object readArray(int offset) {
        int headerOffset = in.offset();
        int header = readU29("array header");
        if ((header & 1) == 0) {
            return objectReference(header >>> 1, headerOffset);
        }
        int denseCount = header >>> 1;
        enter(offset);
        // Reserve the slot now: members may refer back to this array.
        int slot = objects.size();
        objects.add(null);
        String key = readString();
        Object result;
        if (key.isEmpty()) {
            in.checkCount(denseCount, "dense array", headerOffset);
            List<Object> list = new ArrayList<>(AmfInput.initialCapacity(denseCount));
            objects.set(slot, list);
            for (int i = 0; i < denseCount; i++) {
                list.add(readValue());
            }
            result = list;
        } else {
            AmfObject mixed = new AmfObject();
            objects.set(slot, mixed);
            for (; !key.isEmpty(); key = readString()) {
                mixed.put(key, readValue());
            }
            in.checkCount(denseCount, "dense array", headerOffset);
            for (int i = 0; i < denseCount; i++) {
                mixed.put(Integer.toString(i), readValue());
            }
            result = mixed;
        }
        depth--;
        return result;
    }

    private Object readObject(int offset) {
        int headerOffset = in.offset();
        int header = readU29("object header");
        if ((header & 1) == 0) {
            return objectReference(header >>> 1, headerOffset);
        }
        Traits t = readTraits(header, headerOffset);
        enter(offset);
        AmfObject fields = new AmfObject();
        Object result = register(
                t.className().isEmpty() ? fields : new TypedObject(t.className(), fields));
        for (String name : t.sealedNames()) {
            fields.put(name, readValue());
        }
        if (t.dynamic()) {
            for (String key = readString(); !key.isEmpty(); key = readString()) {
                fields.put(key, readValue());
            }
        }
        depth--;
        return result;
    }

    private Traits readTraits(int header, int headerOffset) {
        if ((header & 2) == 0) {
            int index = header >>> 2;
            if (index >= traits.size()) {
                throw in.fail("traits reference " + index + " points past the " + traits.size()
                        + " traits decoded so far", headerOffset);
            }
            return traits.get(index);
        }
        if ((header & 4) != 0) {
            // Their body format is defined by the class's own readExternal, which we cannot know.
            throw in.fail("externalizable AMF3 objects are not supported", headerOffset);
        }
        boolean dynamic = (header & 8) != 0;
        int sealedCount = header >>> 4;
        String className = readString();
        in.checkCount(sealedCount, "sealed member", headerOffset);
        List<String> names = new ArrayList<>(AmfInput.initialCapacity(sealedCount));
        for (int i = 0; i < sealedCount; i++) {
            names.add(readString());
        }
        Traits t = new Traits(className, List.copyOf(names), dynamic);
        traits.add(t);
        return t;
    }

    private Object objectReference(int index, int offset) {
        if (index >= objects.size()) {
            throw in.fail("object reference " + index + " points past the " + objects.size()
                    + " objects decoded so far", offset);
        }
        return objects.get(index);
    }

    private <T> T register(T complex) {
        objects.add(complex);
        return complex;
    }

    private void enter(int offset) {
        if (++depth > AmfInput.MAX_DEPTH) {
            throw in.fail("nesting deeper than " + AmfInput.MAX_DEPTH + " levels", offset);
        }
    }
}
