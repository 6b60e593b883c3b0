package io.tributary.hls.ts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A transport stream taken apart the way a player's demuxer does it, written from 13818-1 for the tests
 * and sharing no code with the muxer: packets, PSI sections and reassembled PES packets.
 */
final class TsDemux {
    static final int PACKET = 188;

    /** One transport packet; {@code pcr} is -1 when it has none, {@code adaptation} -1 without a field. */
    record Packet(int index, int pid, boolean unitStart, int continuity, boolean hasPayload, int adaptation,
                  boolean randomAccess, long pcr, byte[] payload) {
    }

    /** One PSI section from its table_id to its CRC, as the packet that starts it carries it. */
    record Section(int pid, byte[] bytes) {
        int tableId() {
            return bytes[0] & 0xFF;
        }

        int sectionLength() {
            return (bytes[1] & 0x0F) << 8 | bytes[2] & 0xFF;
        }

        /** 13818-1 Annex A: the CRC over a whole section, its own CRC included, is zero. */
        boolean crcVerifies() {
            int crc = 0xFFFFFFFF;
            for (int i = 0; i < 3 + sectionLength(); i++) {
                for (int bit = 7; bit >= 0; bit--) {
                    boolean in = (bytes[i] >> bit & 1) != 0;
                    boolean top = crc < 0;
                    crc <<= 1;
                    if (in != top) {
                        crc ^= 0x04C11DB7;
                    }
                }
            }
            return crc == 0;
        }
    }

    /**
     * One PES packet: timestamps on the 90 kHz clock ({@code dts} -1 when the header has none), the PCR
     * and random access flag of its first transport packet, and the elementary stream bytes.
     */
    record Pes(int pid, int streamId, int declaredLength, int actualLength, long pts, long dts, long pcr,
               boolean randomAccess, boolean dataAligned, int firstPacket, int packets, byte[] data) {
        long decodeTime() {
            return dts >= 0 ? dts : pts;
        }
    }

    private final List<Packet> packets = new ArrayList<>();
    private final List<Section> sections = new ArrayList<>();
    private final Map<Integer, List<Pes>> pes = new LinkedHashMap<>();

    private TsDemux() {
    }

    static TsDemux of(byte[] ts) {
        assertThat(ts.length % PACKET).as("stream length is a whole number of packets").isZero();
        TsDemux d = new TsDemux();
        Map<Integer, List<Packet>> open = new LinkedHashMap<>();
        for (int i = 0; i < ts.length / PACKET; i++) {
            Packet p = readPacket(i, Arrays.copyOfRange(ts, i * PACKET, (i + 1) * PACKET));
            d.packets.add(p);
            if (p.pid() == 0 || p.pid() == TsMuxer.PMT_PID) {
                if (p.unitStart()) {
                    int pointer = p.payload()[0] & 0xFF;
                    d.sections.add(new Section(p.pid(), Arrays.copyOfRange(p.payload(), 1 + pointer,
                            p.payload().length)));
                }
                continue;
            }
            if (p.unitStart() && open.containsKey(p.pid())) {
                d.finish(open.remove(p.pid()));
            }
            if (p.unitStart() || open.containsKey(p.pid())) {
                open.computeIfAbsent(p.pid(), k -> new ArrayList<>()).add(p);
            }
        }
        open.values().forEach(d::finish);
        return d;
    }

    /** Just the packets, for payloads that are not PES or PSI. */
    static List<Packet> packets(byte[] ts) {
        assertThat(ts.length % PACKET).as("stream length is a whole number of packets").isZero();
        List<Packet> packets = new ArrayList<>();
        for (int i = 0; i < ts.length / PACKET; i++) {
            packets.add(readPacket(i, Arrays.copyOfRange(ts, i * PACKET, (i + 1) * PACKET)));
        }
        return packets;
    }

    List<Packet> packets() {
        return packets;
    }

    List<Packet> packets(int pid) {
        return packets.stream().filter(p -> p.pid() == pid).toList();
    }

    List<Section> sections(int pid) {
        return sections.stream().filter(s -> s.pid() == pid).toList();
    }

    List<Pes> pes(int pid) {
        return pes.getOrDefault(pid, List.of());
    }

    /** The PID the PAT gives for program 1's PMT. */
    static int pmtPid(Section pat) {
        byte[] b = pat.bytes();
        assertThat(b[8] << 8 | b[9] & 0xFF).as("program number").isEqualTo(1);
        return (b[10] & 0x1F) << 8 | b[11] & 0xFF;
    }

    static int pcrPid(Section pmt) {
        byte[] b = pmt.bytes();
        return (b[8] & 0x1F) << 8 | b[9] & 0xFF;
    }

    /** stream_type by elementary PID, in PMT order. */
    static Map<Integer, Integer> streams(Section pmt) {
        byte[] b = pmt.bytes();
        Map<Integer, Integer> streams = new LinkedHashMap<>();
        int at = 12 + ((b[10] & 0x0F) << 8 | b[11] & 0xFF);
        int end = 3 + pmt.sectionLength() - 4;
        while (at < end) {
            streams.put((b[at + 1] & 0x1F) << 8 | b[at + 2] & 0xFF, b[at] & 0xFF);
            at += 5 + ((b[at + 3] & 0x0F) << 8 | b[at + 4] & 0xFF);
        }
        return streams;
    }

    private static Packet readPacket(int index, byte[] b) {
        assertThat(b[0]).as("sync byte of packet %d", index).isEqualTo((byte) 0x47);
        assertThat(b[1] & 0x80).as("transport_error_indicator of packet %d", index).isZero();
        int pid = (b[1] & 0x1F) << 8 | b[2] & 0xFF;
        boolean unitStart = (b[1] & 0x40) != 0;
        int control = b[3] >> 4 & 3;
        int at = 4;
        int adaptation = -1;
        boolean randomAccess = false;
        long pcr = -1;
        if ((control & 2) != 0) {
            adaptation = b[4] & 0xFF;
            if (adaptation > 0) {
                int flags = b[5] & 0xFF;
                randomAccess = (flags & 0x40) != 0;
                if ((flags & 0x10) != 0) {
                    pcr = (b[6] & 0xFFL) << 25 | (b[7] & 0xFFL) << 17 | (b[8] & 0xFFL) << 9 | (b[9] & 0xFFL) << 1
                            | (b[10] & 0xFF) >> 7;
                    int extension = (b[10] & 1) << 8 | b[11] & 0xFF;
                    assertThat(extension).as("PCR extension").isZero();
                }
            }
            at += 1 + adaptation;
            assertThat(at).as("adaptation field of packet %d fits", index).isLessThanOrEqualTo(PACKET);
        }
        boolean hasPayload = (control & 1) != 0;
        byte[] payload = hasPayload ? Arrays.copyOfRange(b, at, PACKET) : new byte[0];
        return new Packet(index, pid, unitStart, b[3] & 0x0F, hasPayload, adaptation, randomAccess, pcr, payload);
    }

    private void finish(List<Packet> parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        parts.forEach(p -> all.writeBytes(p.payload()));
        byte[] b = all.toByteArray();
        Packet first = parts.get(0);
        assertThat(b.length).as("PES on PID %d at packet %d has a header", first.pid(), first.index())
                .isGreaterThanOrEqualTo(9);
        assertThat(new byte[] {b[0], b[1], b[2]}).as("packet_start_code_prefix").containsExactly(0, 0, 1);
        int streamId = b[3] & 0xFF;
        int declared = (b[4] & 0xFF) << 8 | b[5] & 0xFF;
        assertThat(b[6] & 0xC0).as("'10' marker").isEqualTo(0x80);
        boolean aligned = (b[6] & 0x04) != 0;
        int ptsDts = b[7] >> 6 & 3;
        int headerLength = b[8] & 0xFF;
        long pts = ptsDts >= 2 ? timestamp(b, 9, ptsDts == 3 ? 3 : 2) : -1;
        long dts = ptsDts == 3 ? timestamp(b, 14, 1) : -1;
        byte[] data = Arrays.copyOfRange(b, 9 + headerLength, b.length);
        pes.computeIfAbsent(first.pid(), k -> new ArrayList<>()).add(new Pes(first.pid(), streamId, declared,
                b.length - 6, pts, dts, first.pcr(), first.randomAccess(), aligned, first.index(), parts.size(),
                data));
    }

    private static long timestamp(byte[] b, int at, int prefix) {
        assertThat(b[at] >> 4 & 0xF).as("timestamp prefix").isEqualTo(prefix);
        assertThat(b[at] & b[at + 2] & b[at + 4] & 1).as("timestamp marker bits").isEqualTo(1);
        return (b[at] & 0x0EL) << 29 | (b[at + 1] & 0xFFL) << 22 | (b[at + 2] & 0xFEL) << 14
                | (b[at + 3] & 0xFFL) << 7 | (b[at + 4] & 0xFEL) >> 1;
    }
}
