package io.tributary.media.amf;

import static io.tributary.media.amf.AmfAssertions.assertDecodedAs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Amf3Test {

    static Stream<Arguments> vectors() {
        return Stream.of(
                arguments("undefined", Undefined.INSTANCE, "00"),
                arguments("null", null, "01"),
                arguments("false", false, "02"),
                arguments("true", true, "03"),
                arguments("integer 0", 0.0, "04 00"),
                arguments("integer 127, the largest 1-byte U29", 127.0, "04 7f"),
                arguments("integer 128", 128.0, "04 81 00"),
                arguments("integer 16383, the largest 2-byte U29", 16383.0, "04 ff 7f"),
                arguments("integer 16384", 16384.0, "04 81 80 00"),
                arguments("integer 2097151, the largest 3-byte U29", 2097151.0, "04 ff ff 7f"),
                arguments("integer 2097152 takes all 8 bits of the 4th byte", 2097152.0, "04 80 c0 80 00"),
                arguments("integer 0x0FFFFFFF, the largest", (double) 0x0FFFFFFF, "04 bf ff ff ff"),
                arguments("integer -1", -1.0, "04 ff ff ff ff"),
                arguments("integer -2^28, the smallest", -268435456.0, "04 c0 80 80 00"),
                arguments("double", 1.5, "05 3ff8000000000000"),
                arguments("string", "abc", "06 07 616263"),
                arguments("empty string", "", "06 01"),
                arguments("strings by reference; the empty string takes no slot",
                        List.of("abc", "", "abc", "def", "def"),
                        "09 0b 01  06 07 616263  06 01  06 00  06 07 646566  06 02"),
                arguments("xml document", new XmlDocument("<a/>"), "07 09 3c612f3e"),
                arguments("xml", new XmlDocument("<a/>"), "0b 09 3c612f3e"),
                arguments("date", new AmfDate(1.7e12, (short) 0), "08 01 4278bcfe56800000"),
                arguments("byte array", new byte[] {1, 2, 3}, "0c 07 010203"),
                arguments("dense array", List.of(1.0, 2.0, 3.0), "09 07 01 04 01 04 02 04 03"),
                arguments("empty array", List.of(), "09 01 01"),
                arguments("mixed array keeps dense items under their index",
                        AmfObject.of("a", "x", "0", 1.0, "1", 2.0),
                        "09 05 03 61 06 03 78 01 04 01 04 02"),
                arguments("dynamic anonymous object", AmfObject.of("a", 1.0, "b", "abc"),
                        "0a 0b 01 03 61 04 01 03 62 06 07 616263 01"),
                arguments("sealed typed object",
                        new TypedObject("Point", AmfObject.of("x", 1.0, "y", 2.0)),
                        "0a 23 0b 506f696e74 03 78 03 79 04 01 04 02"),
                arguments("anonymous dynamic class with two sealed members",
                        AmfObject.of("ui", "button_press", "param", 5.0),
                        "0a 2b 01 05 7569 0b 706172616d 06 19 627574746f6e5f7072657373 04 05 01"),
                arguments("sealed and dynamic members",
                        AmfObject.of("x", 1.0, "tag", "t"),
                        "0a 1b 01 03 78 04 01 07 746167 06 03 74 01"),
                arguments("second object reuses the traits by reference", List.of(
                        new TypedObject("Point", AmfObject.of("x", 1.0, "y", 2.0)),
                        new TypedObject("Point", AmfObject.of("x", 3.0, "y", 4.0))),
                        "09 05 01 0a 23 0b 506f696e74 03 78 03 79 04 01 04 02 0a 01 04 03 04 04"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodesVector(String name, Object value, String hex) {
        ByteBuf in = Hex.buf(hex);
        assertDecodedAs(Amf3.read(in), value);
        assertThat(in.isReadable()).as("bytes left over").isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodesVectorAfterTheAmf0Switch(String name, Object value, String hex) {
        assertDecodedAs(Amf0.read(Hex.buf("11" + Hex.normalize(hex))), value);
    }

    @Test
    void amf0ObjectMayHoldAnAmf3Value() {
        assertDecodedAs(Amf0.read(Hex.buf("03 0001 61 11 06 07 616263 0001 62 11 04 7f 0000 09")),
                AmfObject.of("a", "abc", "b", 127.0));
    }

    @Test
    void objectReferenceDecodesToTheSameInstance() {
        // [{}, <object ref 1>]: the array is object 0, the inner object 1.
        List<?> decoded = (List<?>) Amf3.read(Hex.buf("09 05 01 0a 0b 01 01 0a 02"));
        assertThat(decoded.get(1)).isSameAs(decoded.get(0)).isEqualTo(new AmfObject());
    }

    @Test
    void arrayMayContainItself() {
        List<?> decoded = (List<?>) Amf3.read(Hex.buf("09 03 01 09 00"));
        assertThat(decoded.get(0)).isSameAs(decoded);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                arguments("empty input", "", "AMF3: truncated type marker: need 1 bytes, 0 remaining at offset 0"),
                arguments("truncated U29", "04 ff ff", "AMF3: truncated integer: need 1 bytes, 0 remaining at offset 3"),
                arguments("truncated double", "05 3ff8", "AMF3: truncated double: need 8 bytes, 2 remaining at offset 1"),
                arguments("string length beyond buffer", "06 ff ff ff ff 61",
                        "AMF3: string length 268435455 exceeds remaining 1 bytes at offset 1"),
                arguments("string reference to a missing index", "06 02",
                        "AMF3: string reference 1 points past the 0 strings decoded so far at offset 1"),
                arguments("object reference to a missing index", "0a 00",
                        "AMF3: object reference 0 points past the 0 objects decoded so far at offset 1"),
                arguments("traits reference to a missing index", "0a 05",
                        "AMF3: traits reference 1 points past the 0 traits decoded so far at offset 1"),
                arguments("dense count beyond buffer", "09 ff ff ff ff 01",
                        "AMF3: dense array count 268435455 exceeds remaining 0 bytes at offset 1"),
                arguments("sealed member count beyond buffer", "0a ff ff ff f3 01",
                        "AMF3: sealed member count 33554431 exceeds remaining 0 bytes at offset 1"),
                arguments("byte array length beyond buffer", "0c 41 00",
                        "AMF3: byte array length 32 exceeds remaining 1 bytes at offset 1"),
                arguments("externalizable object", "0a 07 2f 666c65782e6d6573736167696e672e696f2e4172726179436f6c6c656374696f6e",
                        "AMF3: externalizable AMF3 objects are not supported at offset 1"),
                arguments("vector", "0d 03 00 00000001", "AMF3: vector marker 0x0D is not supported at offset 0"),
                arguments("object vector", "10 01", "AMF3: vector marker 0x10 is not supported at offset 0"),
                arguments("dictionary", "11 01 00", "AMF3: dictionary marker 0x11 is not supported at offset 0"),
                arguments("unknown marker", "42", "AMF3: unknown marker 0x42 at offset 0"),
                arguments("1000 nested arrays", "090301".repeat(1000) + "01",
                        "AMF3: nesting deeper than 64 levels at offset 192"),
                arguments("1000 nested objects", "0a0b010361".repeat(1000) + "01",
                        "AMF3: nesting deeper than 64 levels at offset 320"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedInput(String name, String hex, String message) {
        ByteBuf in = Hex.buf(hex);
        assertThatThrownBy(() -> Amf3.read(in)).isInstanceOf(AmfException.class).hasMessage(message);
        assertThat(in.readerIndex()).as("reader index after failure").isZero();
    }

    @Test
    void nestingLimitCountsAmf0LevelsBeforeTheSwitch() {
        String hex = "0a00000001".repeat(60) + "11" + "090301".repeat(5) + "01";
        assertThatThrownBy(() -> Amf0.read(Hex.buf(hex)))
                .isInstanceOf(AmfException.class)
                .hasMessageContaining("AMF3: nesting deeper than 64 levels");
    }

    @Test
    void everyTruncationAndCorruptionFailsWithAmfException() {
        Random random = new Random(20240602);
        vectors().map(a -> Hex.bytes((String) a.get()[2])).forEach(bytes -> {
            for (int length = 0; length < bytes.length; length++) {
                byte[] prefix = Arrays.copyOf(bytes, length);
                assertThatThrownBy(() -> Amf3.read(Unpooled.wrappedBuffer(prefix)))
                        .as("prefix %s", Hex.of(Unpooled.wrappedBuffer(prefix)))
                        .isInstanceOf(AmfException.class);
            }
            for (int i = 0; i < 200; i++) {
                byte[] corrupt = bytes.clone();
                corrupt[random.nextInt(corrupt.length)] = (byte) random.nextInt(256);
                try {
                    Amf3.read(Unpooled.wrappedBuffer(corrupt));
                } catch (AmfException expected) {
                    // a clean rejection is one of the two acceptable outcomes
                }
            }
        });
    }
}
