package io.tributary.hls.ts;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How a PES is cut into packets: where the adaptation field goes and how long it is. Adaptation field
 * lengths are the adaptation_field_length byte, -1 for a packet without the field.
 */
class TsPacketWriterTest {

    record Case(String name, int length, long pcr, boolean randomAccess, List<Integer> adaptation) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cuts() {
        long none = TsPacketWriter.NO_PCR;
        return Stream.of(
            new Case("184 bytes fill one packet exactly", 184, none, false, List.of(-1)),
            new Case("183 bytes: one byte of stuffing, an empty field", 183, none, false, List.of(0)),
            new Case("182 bytes: flags byte and length byte", 182, none, false, List.of(1)),
            new Case("1 byte: the rest is stuffing", 1, none, false, List.of(182)),
            new Case("185 bytes: a full packet, then a stuffed one", 185, none, false, List.of(-1, 182)),
            new Case("368 bytes: two full packets", 368, none, false, List.of(-1, -1)),
            new Case("176 bytes and a PCR fill one packet", 176, 0, false, List.of(7)),
            new Case("177 bytes and a PCR need a second packet", 177, 0, true, List.of(7, 182)),
            new Case("10 bytes and a PCR", 10, 123, true, List.of(173)),
            new Case("a random access point without a PCR", 400, none, true, List.of(1, -1, 149)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cuts")
    void cutsAPesIntoPackets(Case c) {
        byte[] pes = new byte[c.length()];
        for (int i = 0; i < pes.length; i++) {
            pes[i] = (byte) (i * 7 + 1);
        }
        TsPid pid = new TsPid(0x100);
        ByteBuf out = Unpooled.buffer();

        TsPacketWriter.writePes(out, pid, new Bytes(pes), c.pcr(), c.randomAccess());

        List<TsDemux.Packet> packets = TsDemux.packets(ByteBufUtil.getBytes(out));
        assertThat(packets).extracting(TsDemux.Packet::adaptation).as("adaptation fields")
                .isEqualTo(c.adaptation());
        assertThat(packets).extracting(TsDemux.Packet::unitStart).as("unit start")
                .containsExactlyElementsOf(Stream.iterate(true, s -> false).limit(packets.size()).toList());
        assertThat(packets).extracting(TsDemux.Packet::continuity).as("continuity counters")
                .containsExactlyElementsOf(Stream.iterate(0, n -> n + 1).limit(packets.size()).toList());
        assertThat(packets.get(0).pcr()).as("PCR").isEqualTo(c.pcr());
        assertThat(packets.get(0).randomAccess()).as("random_access_indicator").isEqualTo(c.randomAccess());
        assertThat(packets).allMatch(p -> p.pid() == 0x100 && p.hasPayload());
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        packets.forEach(p -> payload.writeBytes(p.payload()));
        assertThat(payload.toByteArray()).as("payload").isEqualTo(pes);
    }

    @Test
    void writesThePcrBaseWithAllThirtyThreeBits() {
        long pcr = (1L << 33) - 2;
        ByteBuf out = Unpooled.buffer();

        TsPacketWriter.writePes(out, new TsPid(0x100), new Bytes(new byte[1]), pcr, false);

        // base 1FFFFFFFE, reserved 111111, extension 0
        assertThat(ByteBufUtil.hexDump(out, 4, 8)).isEqualTo("b610ffffffff7e00");
    }

    @Test
    void continuityCountersWrapAtSixteen() {
        TsPid pid = new TsPid(0x101);
        ByteBuf out = Unpooled.buffer();

        TsPacketWriter.writePes(out, pid, new Bytes(new byte[184 * 17]), TsPacketWriter.NO_PCR, false);

        assertThat(TsDemux.packets(ByteBufUtil.getBytes(out))).extracting(TsDemux.Packet::continuity)
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0);
    }

    /** A PES that is just bytes. */
    private static final class Bytes implements PesPayload {
        private final byte[] bytes;
        private int at;

        Bytes(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int remaining() {
            return bytes.length - at;
        }

        @Override
        public void writeTo(ByteBuf out, int n) {
            out.writeBytes(bytes, at, n);
            at += n;
        }
    }
}
