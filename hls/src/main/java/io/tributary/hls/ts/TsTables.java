package io.tributary.hls.ts;

/**
 * The program specific information of a one-program stream (ISO/IEC 13818-1 2.4.4): the PAT pointing at
 * program 1's PMT, and the PMT listing its H.264 and AAC streams. Both are built once per muxer; only
 * their continuity counters change from segment to segment.
 */
final class TsTables {
    static final int PAT_PID = 0x0000;
    static final int STREAM_TYPE_H264 = 0x1B;
    static final int STREAM_TYPE_AAC_ADTS = 0x0F;

    private static final int PROGRAM = 1;
    private static final int TRANSPORT_STREAM_ID = 1;
    private static final int TABLE_PAT = 0x00;
    private static final int TABLE_PMT = 0x02;
    /** The CRC_32 that ends every section, counted in section_length. */
    private static final int CRC_SIZE = 4;

    private TsTables() {
    }

    /** PAT section, CRC excluded: program 1 at the PMT PID. */
    static byte[] pat(int pmtPid) {
        int sectionLength = 5 + 4 + CRC_SIZE;
        return new byte[] {
            TABLE_PAT,
            (byte) (0xB0 | sectionLength >> 8), // section_syntax_indicator, '0', reserved
            (byte) sectionLength,
            (byte) (TRANSPORT_STREAM_ID >> 8), (byte) TRANSPORT_STREAM_ID,
            (byte) 0xC1, // reserved, version 0, current_next_indicator
            0, 0, // section_number, last_section_number
            (byte) (PROGRAM >> 8), (byte) PROGRAM,
            (byte) (0xE0 | pmtPid >> 8), (byte) pmtPid,
        };
    }

    /**
     * PMT section, CRC excluded: program 1 with the PCR on {@code pcrPid} and one entry per stream, in
     * the order given ({@code streams} holds stream_type, PID pairs).
     */
    static byte[] pmt(int pcrPid, int... streams) {
        int entries = streams.length / 2;
        int sectionLength = 9 + 5 * entries + CRC_SIZE;
        byte[] s = new byte[3 + sectionLength - CRC_SIZE];
        s[0] = TABLE_PMT;
        s[1] = (byte) (0xB0 | sectionLength >> 8);
        s[2] = (byte) sectionLength;
        s[3] = (byte) (PROGRAM >> 8);
        s[4] = (byte) PROGRAM;
        s[5] = (byte) 0xC1;
        s[6] = 0;
        s[7] = 0;
        s[8] = (byte) (0xE0 | pcrPid >> 8);
        s[9] = (byte) pcrPid;
        s[10] = (byte) 0xF0; // reserved, program_info_length 0
        s[11] = 0;
        for (int i = 0; i < entries; i++) {
            int at = 12 + 5 * i;
            int pid = streams[2 * i + 1];
            s[at] = (byte) streams[2 * i];
            s[at + 1] = (byte) (0xE0 | pid >> 8);
            s[at + 2] = (byte) pid;
            s[at + 3] = (byte) 0xF0; // reserved, ES_info_length 0
            s[at + 4] = 0;
        }
        return s;
    }
}
