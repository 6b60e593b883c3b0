package io.tributary.media.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BitReaderTest {

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    /** Packs a string of 0s and 1s MSB-first, padding the last byte with zeros. */
    private static BitReader bits(String bits) {
        byte[] data = new byte[(bits.length() + 7) / 8];
        for (int i = 0; i < bits.length(); i++) {
            if (bits.charAt(i) == '1') {
                data[i / 8] |= (byte) (0x80 >>> (i % 8));
            }
        }
        return new BitReader(data);
    }

    @ParameterizedTest(name = "{0} read as {1} bits is {2}")
    @CsvSource({
        "A5, 1, 1",
        "A5, 4, 10",
        "A5, 8, 165",
        "A5F0, 12, 2655",
        "01020304, 32, 16909060",
        "FFFFFFFF, 32, -1", // the int's bit pattern of 2^32 - 1
        "80000000, 0, 0",
    })
    void readsUnsignedFieldsMsbFirst(String data, int n, int expected) {
        assertThat(new BitReader(hex(data)).readBits(n)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "ue({0}) = {1}")
    @CsvSource({
        "1, 0",
        "010, 1",
        "011, 2",
        "00100, 3",
        "00111, 6",
        "0001000, 7",
        "0000000001011101111, 750",
        // 31 leading zeros and all ones after them: the largest value the spec allows, 2^32 - 2
        "000000000000000000000000000000011111111111111111111111111111111, 4294967294",
    })
    void readsExpGolombCodes(String code, long expected) {
        assertThat(bits(code).readUe()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "se({0}) = {1}")
    @CsvSource({"1, 0", "010, 1", "011, -1", "00100, 2", "00101, -2", "0001000, 4", "0001001, -4"})
    void readsSignedExpGolombCodes(String code, long expected) {
        assertThat(bits(code).readSe()).isEqualTo(expected);
    }

    @Test
    void readsFieldsThatStraddleBytesInSequence() {
        // 101 | 00110 (ue 5) | 1 | 0001001 (se -4) | 11111111 1
        BitReader r = bits("101" + "00110" + "1" + "0001001" + "111111111");

        assertThat(r.readBits(3)).isEqualTo(5);
        assertThat(r.readUe()).isEqualTo(5);
        assertThat(r.readBit()).isEqualTo(1);
        assertThat(r.readSe()).isEqualTo(-4);
        assertThat(r.readBits(9)).isEqualTo(511);
        assertThat(r.bitsLeft()).isEqualTo(7);
    }

    @Test
    void readsOnlyTheGivenWindowOfTheArray() {
        BitReader r = new BitReader(hex("FF0F80FF"), 1, 2);

        assertThat(r.bitsLeft()).isEqualTo(16);
        assertThat(r.readBits(4)).isZero();
        r.skipBits(4);
        assertThat(r.readBit()).isEqualTo(1);
        assertThat(r.bitsLeft()).isEqualTo(7);
        assertThatThrownBy(() -> r.skipBits(8)).isInstanceOf(CodecConfigException.class);
    }

    @Test
    void readingPastTheEndSaysWhereTheDataEnded() {
        BitReader r = new BitReader(hex("F0"));
        r.skipBits(6);

        assertThatThrownBy(() -> r.readBits(3))
                .isInstanceOf(CodecConfigException.class)
                .hasMessage("needed 3 more bit(s) at bit 6 but the data ends at bit 8");
        assertThat(r.bitsLeft()).isEqualTo(2);
    }

    @Test
    void anExpGolombCodeCutOffByTheEndOfDataIsAnError() {
        assertThatThrownBy(() -> bits("0000").readUe())
                .isInstanceOf(CodecConfigException.class)
                .hasMessageContaining("the data ends at bit 8");
    }

    @Test
    void anExpGolombCodeWithMoreThan31LeadingZerosIsRejected() {
        assertThatThrownBy(() -> new BitReader(new byte[8]).readUe())
                .isInstanceOf(CodecConfigException.class)
                .hasMessage("Exp-Golomb code at bit 0 has more than 31 leading zero bits");
    }

    @Test
    void moreThan32BitsAtOnceIsAProgrammingError() {
        assertThatThrownBy(() -> new BitReader(new byte[8]).readBits(33))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} unescapes to {1}")
    @CsvSource({
        "67640000, 67640000",
        "000003, 0000",
        "00000301, 000001",
        "00000300000302, 0000000002",
        "0000030003, 00000003", // only an 03 after two zeros is dropped; the 00 03 after it stays
        "00000303, 000003", // the byte after an emulation-prevention byte is payload even if it is 03
        "000103, 000103",
        "'', ''",
    })
    void dropsEmulationPreventionBytes(String nal, String rbsp) {
        byte[] in = hex(nal);
        assertThat(BitReader.unescapeRbsp(in, 0, in.length)).isEqualTo(hex(rbsp));
    }

    @Test
    void unescapesOnlyTheGivenRange() {
        byte[] nal = hex("6700000301AA");

        assertThat(BitReader.unescapeRbsp(nal, 1, 4)).isEqualTo(hex("000001"));
    }
}
