package io.tributary.media.amf;

import static io.tributary.media.amf.AmfAssertions.assertDecodedAs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Amf0Test {

    /** Values whose encoding is exactly these bytes, checked both ways. */
    static Stream<Arguments> vectors() {
        return Stream.of(
                arguments("number 1.0", 1.0, "00 3ff0000000000000"),
                arguments("number 0", 0.0, "00 0000000000000000"),
                arguments("number -2.5", -2.5, "00 c004000000000000"),
                arguments("boolean true", true, "01 01"),
                arguments("boolean false", false, "01 00"),
                arguments("string", "app", "02 0003 617070"),
                arguments("empty string", "", "02 0000"),
                arguments("string length counts UTF-8 bytes", "é", "02 0002 c3a9"),
                arguments("null", null, "05"),
                arguments("undefined", Undefined.INSTANCE, "06"),
                arguments("object", AmfObject.of("app", "live"),
                        "03 0003 617070 02 0004 6c697665 0000 09"),
                arguments("empty object", new AmfObject(), "03 0000 09"),
                arguments("nested object", AmfObject.of("a", AmfObject.of("b", true)),
                        "03 0001 61 03 0001 62 01 01 0000 09 0000 09"),
                arguments("ecma array", EcmaArray.of("duration", 0.0),
                        "08 00000001 0008 6475726174696f6e 00 0000000000000000 0000 09"),
                arguments("strict array", Arrays.asList(1.0, "a", null),
                        "0a 00000003 00 3ff0000000000000 02 0001 61 05"),
                arguments("empty strict array", List.of(), "0a 00000000"),
                arguments("date", new AmfDate(1.7e12, (short) 0), "0b 4278bcfe56800000 0000"),
                arguments("date keeps its reserved timezone", new AmfDate(1.7e12, (short) -60),
                        "0b 4278bcfe56800000 ffc4"),
                arguments("xml document", new XmlDocument("<a>b</a>"),
                        "0f 00000008 3c613e623c2f613e"),
                arguments("typed object", new TypedObject("User", AmfObject.of("name", "bob")),
                        "10 0004 55736572 0004 6e616d65 02 0003 626f62 0000 09"),
                arguments("string of 65535 bytes", "a".repeat(65535), "02 ffff" + "61".repeat(65535)),
                arguments("long string", "a".repeat(70000), "0c 00011170" + "61".repeat(70000)));
    }

    /** Whole message bodies, checked both ways with readAll and writeAll. */
    static Stream<Arguments> bodies() {
        return Stream.of(
                arguments("ffmpeg publish connect", List.of("connect", 1.0, AmfObject.of(
                        "app", "live",
                        "type", "nonprivate",
                        "flashVer", "FMLE/3.0 (compatible; Lavf59.27.100)",
                        "tcUrl", "rtmp://127.0.0.1:19351/live")), FfmpegCaptures.PUBLISH_CONNECT),
                arguments("ffmpeg play connect", List.of("connect", 1.0, AmfObject.of(
                        "app", "live",
                        "flashVer", "LNX 9,0,124,2",
                        "tcUrl", "rtmp://127.0.0.1:19352/live",
                        "fpad", false,
                        "capabilities", 15.0,
                        "audioCodecs", 4071.0,
                        "videoCodecs", 252.0,
                        "videoFunction", 1.0)), FfmpegCaptures.PLAY_CONNECT),
                arguments("ffmpeg onMetaData", List.of("onMetaData", EcmaArray.of(
                        "duration", 1.08,
                        "width", 320.0,
                        "height", 240.0,
                        "videodatarate", 0.0,
                        "framerate", 25.0,
                        "videocodecid", 7.0,
                        "audiodatarate", 67.3828125,
                        "audiosamplerate", 44100.0,
                        "audiosamplesize", 16.0,
                        "stereo", false,
                        "audiocodecid", 10.0,
                        "encoder", "Lavf59.27.100",
                        "filesize", 46634.0)), FfmpegCaptures.ON_METADATA),
                arguments("onStatus with null command object", Arrays.asList("onStatus", 0.0, null,
                        AmfObject.of("level", "status", "code", "NetStream.Play.Start")), """
                        02 0008 6f6e537461747573 00 0000000000000000 05
                        03 0005 6c6576656c 02 0006 737461747573
                           0004 636f6465 02 0014 4e657453747265616d2e506c61792e5374617274
                           0000 09"""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodesVector(String name, Object value, String hex) {
        ByteBuf in = Hex.buf(hex);
        assertDecodedAs(Amf0.read(in), value);
        assertThat(in.isReadable()).as("bytes left over").isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void encodesVector(String name, Object value, String hex) {
        ByteBuf out = Unpooled.buffer();
        Amf0.write(out, value);
        assertThat(Hex.of(out)).isEqualTo(Hex.normalize(hex));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void decodesBody(String name, List<Object> values, String hex) {
        assertDecodedAs(Amf0.readAll(Hex.buf(hex)), values);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void encodesBody(String name, List<Object> values, String hex) {
        ByteBuf out = Unpooled.buffer();
        Amf0.writeAll(out, values.toArray());
        assertThat(Hex.of(out)).isEqualTo(Hex.normalize(hex));
    }

    static Stream<Arguments> decodeOnly() {
        return Stream.of(
                arguments("ecma array whose count says 0", EcmaArray.of("a", 1.0, "b", true),
                        "08 00000000 0001 61 00 3ff0000000000000 0001 62 01 01 0000 09"),
                arguments("ecma array whose count says 5", EcmaArray.of("a", 1.0),
                        "08 00000005 0001 61 00 3ff0000000000000 0000 09"),
                arguments("any non-zero boolean byte", true, "01 02"),
                arguments("short text as long string", "app", "0c 00000003 617070"),
                arguments("empty name that is not the end", AmfObject.of("", 1.0),
                        "03 0000 00 3ff0000000000000 0000 09"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decodeOnly")
    void decodesWhatEncodersSend(String name, Object value, String hex) {
        assertDecodedAs(Amf0.read(Hex.buf(hex)), value);
    }

    static Stream<Arguments> encodeOnly() {
        return Stream.of(
                arguments("integer as number", 1, "00 3ff0000000000000"),
                arguments("long as number", 3L, "00 4008000000000000"),
                arguments("float as number", 0.5f, "00 3fe0000000000000"),
                arguments("Object[] as strict array", new Object[] {"a", null}, "0a 00000002 02 0001 61 05"),
                arguments("plain map as object", Map.of("k", "v"), "03 0001 6b 02 0001 76 0000 09"),
                arguments("ecma array count is its size", EcmaArray.of("a", 1, "b", 2),
                        "08 00000002 0001 61 00 3ff0000000000000 0001 62 00 4000000000000000 0000 09"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encodeOnly")
    void encodesJavaTypes(String name, Object value, String hex) {
        ByteBuf out = Unpooled.buffer();
        Amf0.write(out, value);
        assertThat(Hex.of(out)).isEqualTo(Hex.normalize(hex));
    }

    @Test
    void roundTripsEveryEncodableType() {
        List<Object> values = Arrays.asList("_result", 1.0, null, AmfObject.of(
                "level", "status",
                "nested", AmfObject.of("list", Arrays.asList(1.0, "two", false, null, Undefined.INSTANCE)),
                "meta", EcmaArray.of("width", 1920.0, "encoder", "obs-output module (libobs version 30.0.0)"),
                "when", new AmfDate(1.7e12, (short) 0),
                "xml", new XmlDocument("<x/>"),
                "typed", new TypedObject("flex.Thing", AmfObject.of("id", 7.0)),
                "long", "\u00e9".repeat(40000)));
        ByteBuf buf = Unpooled.buffer();
        Amf0.writeAll(buf, values.toArray());
        assertDecodedAs(Amf0.readAll(buf), values);
    }

    @Test
    void referenceDecodesToTheSameInstance() {
        // {a: {x: 1}, b: <ref 1>}: the outer object is reference 0, the inner one 1.
        AmfObject decoded = (AmfObject) Amf0.read(Hex.buf(
                "03 0001 61 03 0001 78 00 3ff0000000000000 0000 09 0001 62 07 0001 0000 09"));
        assertThat(decoded.object("b")).isSameAs(decoded.object("a")).isEqualTo(AmfObject.of("x", 1.0));
    }

    @Test
    void objectMayReferToItself() {
        AmfObject decoded = (AmfObject) Amf0.read(Hex.buf("03 0004 73656c66 07 0000 0000 09"));
        assertThat(decoded.get("self")).isSameAs(decoded);
    }

    @Test
    void strictArraysAndTypedObjectsTakeReferenceSlots() {
        // [T{}, <ref 1>, <ref 0>]: the array is reference 0, the typed object 1.
        List<?> decoded = (List<?>) Amf0.read(Hex.buf("0a 00000003 10 0001 54 0000 09 07 0001 07 0000"));
        assertThat(decoded.get(1)).isSameAs(decoded.get(0)).isInstanceOf(TypedObject.class);
        assertThat(decoded.get(2)).isSameAs(decoded);
    }

    @Test
    void eachTopLevelValueHasItsOwnReferenceTable() {
        assertThatThrownBy(() -> Amf0.readAll(Hex.buf("03 0000 09 07 0000")))
                .isInstanceOf(AmfException.class)
                .hasMessage("AMF0: reference 0 points past the 0 objects decoded so far at offset 4");
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                arguments("empty input", "", "AMF0: truncated type marker: need 1 bytes, 0 remaining at offset 0"),
                arguments("truncated number", "00 3ff0", "AMF0: truncated number: need 8 bytes, 2 remaining at offset 1"),
                arguments("truncated string", "02 0005 6162", "AMF0: string length 5 exceeds remaining 2 bytes at offset 1"),
                arguments("string length beyond buffer", "02 ffff 61", "AMF0: string length 65535 exceeds remaining 1 bytes at offset 1"),
                arguments("long string length beyond buffer", "0c ffffffff 61",
                        "AMF0: long string length 4294967295 exceeds remaining 1 bytes at offset 1"),
                arguments("xml length beyond buffer", "0f 7fffffff", "AMF0: xml document length 2147483647 exceeds remaining 0 bytes at offset 1"),
                arguments("strict array count beyond buffer", "0a ffffffff 05",
                        "AMF0: strict array count 4294967295 exceeds remaining 1 bytes at offset 1"),
                arguments("object without end marker", "03 0003 617070 02 0004 6c697665",
                        "AMF0: truncated property name length: need 2 bytes, 0 remaining at offset 13"),
                arguments("ecma array without count", "08 0000", "AMF0: truncated ecma array count"),
                arguments("truncated date", "0b 4278bcfe56800000 00", "AMF0: truncated date timezone"),
                arguments("unknown marker", "42", "AMF0: unknown marker 0x42 at offset 0"),
                arguments("unknown marker inside object", "03 0001 61 42", "AMF0: unknown marker 0x42 at offset 4"),
                arguments("unsupported marker", "0d", "AMF0: unsupported marker 0x0D at offset 0"),
                arguments("record set", "0e", "AMF0: record set marker 0x0E is not supported"),
                arguments("movie clip", "04", "AMF0: movie clip marker 0x04 is not supported"),
                arguments("object end outside an object", "09", "AMF0: unexpected object-end marker 0x09 at offset 0"),
                arguments("reference to a missing index", "0a 00000002 03 0000 09 07 0005",
                        "AMF0: reference 5 points past the 2 objects decoded so far at offset 9"),
                arguments("1000 nested strict arrays", "0a00000001".repeat(1000) + "05",
                        "AMF0: nesting deeper than 64 levels at offset 320"),
                arguments("1000 nested objects", "03000161".repeat(1000) + "05",
                        "AMF0: nesting deeper than 64 levels at offset 256"),
                arguments("error inside an AMF3 value", "11 0a 07", "AMF3: externalizable AMF3 objects are not supported"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedInput(String name, String hex, String message) {
        ByteBuf in = Hex.buf(hex);
        assertThatThrownBy(() -> Amf0.read(in)).isInstanceOf(AmfException.class).hasMessageStartingWith(message);
        assertThat(in.readerIndex()).as("reader index after failure").isZero();
    }

    @Test
    void acceptsNestingUpTo64Levels() {
        assertThat(Amf0.read(Hex.buf("0a00000001".repeat(64) + "05"))).isInstanceOf(List.class);
    }

    @Test
    void readAllLeavesTheBufferUntouchedWhenAValueIsBad() {
        ByteBuf in = Hex.buf("02 0001 61 42");
        assertThatThrownBy(() -> Amf0.readAll(in)).hasMessage("AMF0: unknown marker 0x42 at offset 4");
        assertThat(in.readerIndex()).isZero();
    }

    @Test
    void everyTruncationAndCorruptionFailsWithAmfException() {
        Random random = new Random(20240601);
        Stream.concat(vectors().map(a -> (String) a.get()[2]), bodies().map(a -> (String) a.get()[2]))
                .map(Hex::bytes)
                .filter(bytes -> bytes.length < 1000)
                .forEach(bytes -> {
                    Set<Integer> valueEnds = valueEnds(bytes);
                    for (int length = 0; length < bytes.length; length++) {
                        byte[] prefix = Arrays.copyOf(bytes, length);
                        if (!valueEnds.contains(length)) {
                            assertThatThrownBy(() -> Amf0.readAll(Unpooled.wrappedBuffer(prefix)))
                                    .as("prefix %s", Hex.of(Unpooled.wrappedBuffer(prefix)))
                                    .isInstanceOf(AmfException.class);
                        }
                    }
                    for (int i = 0; i < 200; i++) {
                        byte[] corrupt = bytes.clone();
                        corrupt[random.nextInt(corrupt.length)] = (byte) random.nextInt(256);
                        try {
                            Amf0.readAll(Unpooled.wrappedBuffer(corrupt));
                        } catch (AmfException expected) {
                            // a clean rejection is one of the two acceptable outcomes
                        }
                    }
                });
    }

    /** Offsets where a top-level value ends: a body cut there is shorter but still well formed. */
    private static Set<Integer> valueEnds(byte[] body) {
        Set<Integer> ends = new HashSet<>(Set.of(0));
        ByteBuf in = Unpooled.wrappedBuffer(body);
        while (in.isReadable()) {
            Amf0.read(in);
            ends.add(in.readerIndex());
        }
        return ends;
    }

    static Stream<Arguments> unencodable() {
        List<Object> cyclic = new ArrayList<>();
        cyclic.add(cyclic);
        return Stream.of(
                arguments("plain Java object", new Object(), "AMF0 cannot encode values of type java.lang.Object"),
                arguments("byte array", new byte[1], "AMF0 cannot encode values of type byte[]"),
                arguments("non-string key", Map.of(1, "x"), "AMF0 object keys must be strings, got java.lang.Integer"),
                arguments("name too long", AmfObject.of("k".repeat(65536), 1), "AMF0 name is 65536 UTF-8 bytes, the limit is 65535"),
                arguments("cyclic list", cyclic, "AMF0 value nests deeper than 64 levels (is it cyclic?)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unencodable")
    void refusesToEncodeAndWritesNothing(String name, Object value, String message) {
        ByteBuf out = Unpooled.buffer();
        Amf0.write(out, "kept");
        int written = out.writerIndex();
        assertThatThrownBy(() -> Amf0.writeAll(out, "dropped", value))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
        assertThat(out.writerIndex()).isEqualTo(written);
    }
}
