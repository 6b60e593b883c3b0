package io.tributary.hls.ts;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Cuts PES packets and PSI sections into 188-byte transport packets (ISO/IEC 13818-1 2.4.3.2), writing
 * straight into the segment: the packet header, an adaptation field when there is a PCR, a random access
 * point or stuffing to put there, and the payload.
 */
final class TsPacketWriter {
    static final int PACKET_SIZE = 188;
    static final int HEADER_SIZE = 4;
    static final int PAYLOAD_SIZE = PACKET_SIZE - HEADER_SIZE;
    static final int SYNC_BYTE = 0x47;
    /** No PCR in this packet. */
    static final long NO_PCR = -1;

    /** 0xFF bytes to copy stuffing from. */
    private static final byte[] STUFFING = new byte[PACKET_SIZE];
    /** Adaptation field length and flags bytes. */
    private static final int ADAPTATION_FLAGS_SIZE = 2;
    private static final int PCR_SIZE = 6;
    private static final int RANDOM_ACCESS = 0x40;
    private static final int PCR_FLAG = 0x10;

    static {
        Arrays.fill(STUFFING, (byte) 0xFF);
    }

    private TsPacketWriter() {
    }

    /**
     * Writes one PES packet. The first transport packet starts the unit (payload_unit_start_indicator)
     * and carries the PCR and random_access_indicator when asked; the last is filled up with adaptation
     * field stuffing, so that the next PES starts in a packet of its own.
     *
     * @param pcr          the 33-bit PCR base (90 kHz), or {@link #NO_PCR}
     * @param randomAccess whether a decoder can start at this PES (a keyframe)
     */
    static void writePes(ByteBuf out, TsPid pid, PesPayload pes, long pcr, boolean randomAccess) {
        int packets = (pes.remaining() + ADAPTATION_FLAGS_SIZE + PCR_SIZE + PAYLOAD_SIZE - 1) / PAYLOAD_SIZE;
        out.ensureWritable(packets * PACKET_SIZE); // at most one reallocation per PES
        boolean first = true;
        while (pes.remaining() > 0) {
            boolean withPcr = first && pcr != NO_PCR;
            boolean flagged = withPcr || first && randomAccess;
            int adaptation = flagged ? ADAPTATION_FLAGS_SIZE + (withPcr ? PCR_SIZE : 0) : 0;
            int n = Math.min(pes.remaining(), PAYLOAD_SIZE - adaptation);
            adaptation = PAYLOAD_SIZE - n; // the last packet of the PES is stuffed up to 188 bytes
            writeHeader(out, pid, first, adaptation > 0);
            if (adaptation > 0) {
                writeAdaptationField(out, adaptation, withPcr ? pcr : NO_PCR, first && randomAccess);
            }
            pes.writeTo(out, n);
            first = false;
        }
    }

    /**
     * Writes a PSI section that fits in one packet: {@code section} holds it from its table_id up to, not
     * including, its CRC, which is appended here.
     */
    static void writeSection(ByteBuf out, TsPid pid, byte[] section) {
        writeHeader(out, pid, true, false);
        out.writeByte(0); // pointer_field: the section starts right here
        int start = out.writerIndex();
        out.writeBytes(section);
        out.writeInt(TsCrc32.of(out, start, out.writerIndex()));
        out.writeBytes(STUFFING, 0, PAYLOAD_SIZE - 1 - section.length - 4);
    }

    private static void writeHeader(ByteBuf out, TsPid pid, boolean unitStart, boolean adaptation) {
        out.writeByte(SYNC_BYTE);
        out.writeShort((unitStart ? 0x4000 : 0) | pid.pid);
        // not scrambled; adaptation_field_control '11' (adaptation field and payload) or '01' (payload only)
        out.writeByte((adaptation ? 0x30 : 0x10) | pid.nextContinuity());
    }

    /** An adaptation field of {@code size} bytes in all, its length byte included. */
    private static void writeAdaptationField(ByteBuf out, int size, long pcr, boolean randomAccess) {
        out.writeByte(size - 1);
        if (size == 1) {
            return; // a zero-length field: one byte of stuffing
        }
        out.writeByte((randomAccess ? RANDOM_ACCESS : 0) | (pcr != NO_PCR ? PCR_FLAG : 0));
        int used = ADAPTATION_FLAGS_SIZE;
        if (pcr != NO_PCR) {
            // program_clock_reference_base (33 bits), 6 reserved bits, extension (9 bits) 0
            out.writeInt((int) (pcr >>> 1));
            out.writeByte((int) (pcr << 7) & 0x80 | 0x7E);
            out.writeByte(0);
            used += PCR_SIZE;
        }
        out.writeBytes(STUFFING, 0, size - used);
    }
}
