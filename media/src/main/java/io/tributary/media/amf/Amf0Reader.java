package io.tributary.media.amf;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes one top-level AMF0 value. One instance per top-level value, because AMF0 references
 * (marker 0x07) index a table of the complex values met so far within that value only.
 */
final class Amf0Reader {

    static final int NUMBER = 0x00;
    static final int BOOLEAN = 0x01;
    static final int STRING = 0x02;
    static final int OBJECT = 0x03;
    static final int MOVIE_CLIP = 0x04;
    static final int NULL = 0x05;
    static final int UNDEFINED = 0x06;
    static final int REFERENCE = 0x07;
    static final int ECMA_ARRAY = 0x08;
    static final int OBJECT_END = 0x09;
    static final int STRICT_ARRAY = 0x0A;
    static final int DATE = 0x0B;
    static final int LONG_STRING = 0x0C;
    static final int UNSUPPORTED = 0x0D;
    static final int RECORD_SET = 0x0E;
    static final int XML_DOCUMENT = 0x0F;
    static final int TYPED_OBJECT = 0x10;
    static final int AVMPLUS_OBJECT = 0x11;

    private final ByteBuf buf;
    private final AmfInput in;
    /** Objects, typed objects, ECMA arrays and strict arrays, in the order they were opened. */
    private final List<Object> references = new ArrayList<>();
    private int depth;

    Amf0Reader(ByteBuf buf) {
        this.buf = buf;
        this.in = new AmfInput(buf, "AMF0");
    }

    Object readValue() {
        int offset = in.offset();
        int marker = in.u8("type marker");
        return switch (marker) {
            case NUMBER -> in.f64("number");
            case BOOLEAN -> in.u8("boolean") != 0;
            case STRING -> readShortString("string");
            case OBJECT -> readProperties(register(new AmfObject()), offset);
            case NULL -> null;
            case UNDEFINED -> Undefined.INSTANCE;
            case REFERENCE -> readReference(offset);
            case ECMA_ARRAY -> readEcmaArray(offset);
            case STRICT_ARRAY -> readStrictArray(offset);
            case DATE -> new AmfDate(in.f64("date"), in.s16("date timezone"));
            case LONG_STRING -> readLongString("long string");
            case XML_DOCUMENT -> new XmlDocument(readLongString("xml document"));
            case TYPED_OBJECT -> readTypedObject(offset);
            case AVMPLUS_OBJECT -> new Amf3Reader(buf, depth).readValue();
            case OBJECT_END -> throw in.fail("unexpected object-end marker 0x09", offset);
            case UNSUPPORTED -> throw in.fail("unsupported marker 0x0D", offset);
            case MOVIE_CLIP -> throw in.fail("movie clip marker 0x04 is not supported", offset);
            case RECORD_SET -> throw in.fail("record set marker 0x0E is not supported", offset);
            default -> throw in.fail(String.format("unknown marker 0x%02X", marker), offset);
        };
    }

    private String readShortString(String what) {
        int lengthOffset = in.offset();
        return in.utf8(in.u16(what + " length"), what, lengthOffset);
    }

    private String readLongString(String what) {
        int lengthOffset = in.offset();
        return in.utf8(in.u32(what + " length"), what, lengthOffset);
    }

    private Object readReference(int offset) {
        int index = in.u16("reference index");
        if (index >= references.size()) {
            throw in.fail("reference " + index + " points past the " + references.size()
                    + " objects decoded so far", offset);
        }
        return references.get(index);
    }

    private EcmaArray readEcmaArray(int offset) {
        // Some encoders write a wrong count (often 0), so it is skipped and the object-end
        // marker alone ends the array.
        in.u32("ecma array count");
        return readProperties(register(new EcmaArray()), offset);
    }

    private List<Object> readStrictArray(int offset) {
        int countOffset = in.offset();
        long count = in.u32("strict array count");
        in.checkCount(count, "strict array", countOffset);
        List<Object> list = register(new ArrayList<>(AmfInput.initialCapacity(count)));
        enter(offset);
        for (long i = 0; i < count; i++) {
            list.add(readValue());
        }
        depth--;
        return list;
    }

    private TypedObject readTypedObject(int offset) {
        String className = readShortString("class name");
        TypedObject typed = register(new TypedObject(className, new AmfObject()));
        readProperties(typed.fields(), offset);
        return typed;
    }

    /** Reads name/value pairs up to the object-end marker (an empty name followed by 0x09). */
    private <T extends AmfObject> T readProperties(T target, int offset) {
        enter(offset);
        while (true) {
            String key = readShortString("property name");
            if (key.isEmpty() && in.peekU8() == OBJECT_END) {
                in.u8("object-end marker");
                break;
            }
            target.put(key, readValue());
        }
        depth--;
        return target;
    }

    /** Registers a complex value before its members are read, so members may refer back to it. */
    private <T> T register(T complex) {
        references.add(complex);
        return complex;
    }

    private void enter(int offset) {
        if (++depth > AmfInput.MAX_DEPTH) {
            throw in.fail("nesting deeper than " + AmfInput.MAX_DEPTH + " levels", offset);
        }
    }
}
