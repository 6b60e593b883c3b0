package io.tributary.hls.fmp4;

import io.tributary.media.codec.AacConfig;
import io.tributary.media.codec.AvcConfig;

/**
 * The sample descriptions inside {@code stsd}: {@code avc1} with its {@code avcC} (ISO/IEC 14496-15) and
 * {@code mp4a} with its {@code esds} (ISO/IEC 14496-14).
 */
final class SampleEntries {
    private static final int DATA_REFERENCE_INDEX = 1;
    /** 72 dpi in 16.16, the value every VisualSampleEntry carries. */
    private static final int RESOLUTION_72_DPI = 0x00480000;
    private static final int DEPTH_COLOUR = 0x0018;

    private static final int TAG_ES = 0x03;
    private static final int TAG_DECODER_CONFIG = 0x04;
    private static final int TAG_DECODER_SPECIFIC_INFO = 0x05;
    private static final int TAG_SL_CONFIG = 0x06;
    /** objectTypeIndication for MPEG-4 Audio (14496-3), which covers every AAC profile. */
    private static final int OTI_MPEG4_AUDIO = 0x40;
    /** streamType 5 (audio) << 2 | upStream 0 << 1 | reserved 1. */
    private static final int STREAM_TYPE_AUDIO = 0x15;
    /** SLConfigDescriptor predefined 2: "reserved for use in MP4 files". */
    private static final int SL_PREDEFINED_MP4 = 0x02;

    private SampleEntries() {
    }

    static void avc1(BoxWriter w, AvcConfig config) {
        w.open("avc1");
        w.zeros(6).u16(DATA_REFERENCE_INDEX);
        w.u16(0).u16(0).zeros(12); // pre_defined, reserved, pre_defined[3]
        w.u16(config.width()).u16(config.height());
        w.u32(RESOLUTION_72_DPI).u32(RESOLUTION_72_DPI);
        w.u32(0); // reserved
        w.u16(1); // frame_count
        w.zeros(32); // compressorname: empty Pascal string
        w.u16(DEPTH_COLOUR).u16(0xFFFF); // depth, pre_defined = -1
        w.open("avcC").bytes(config.toRecord()).close();
        w.close();
    }

    static void mp4a(BoxWriter w, AacConfig config) {
        int channels = config.outputChannels() != 0 ? config.outputChannels() : 2;
        w.open("mp4a");
        w.zeros(6).u16(DATA_REFERENCE_INDEX);
        w.zeros(8); // reserved
        w.u16(channels).u16(16); // channelcount, samplesize
        w.u16(0).u16(0); // pre_defined, reserved
        // 16.16 cannot hold rates above 65535 Hz; decoders take the rate from the AudioSpecificConfig anyway.
        int rate = config.sampleRate();
        w.u32(rate <= 0xFFFF ? rate << 16 : 0);
        esds(w, AudioSpecificConfigWriter.write(config));
        w.close();
    }

    private static void esds(BoxWriter w, byte[] asc) {
        int decoderSpecificInfo = descriptorSize(asc.length);
        int decoderConfig = descriptorSize(13 + decoderSpecificInfo);
        int slConfig = descriptorSize(1);
        w.openFull("esds", 0, 0);
        descriptorHeader(w, TAG_ES, 3 + decoderConfig + slConfig);
        w.u16(0); // ES_ID: 0 in a file (14496-14 3.1.2)
        w.u8(0); // no stream dependence, URL or OCR stream; priority 0
        descriptorHeader(w, TAG_DECODER_CONFIG, 13 + decoderSpecificInfo);
        w.u8(OTI_MPEG4_AUDIO).u8(STREAM_TYPE_AUDIO);
        w.u24(0); // bufferSizeDB: unknown for a live stream
        w.u32(0).u32(0); // maxBitrate, avgBitrate: unknown (0 = variable)
        descriptorHeader(w, TAG_DECODER_SPECIFIC_INFO, asc.length);
        w.bytes(asc);
        descriptorHeader(w, TAG_SL_CONFIG, 1);
        w.u8(SL_PREDEFINED_MP4);
        w.close();
    }

    /** A descriptor's whole size: tag, the expandable size field and the payload. */
    private static int descriptorSize(int payload) {
        return 1 + sizeFieldLength(payload) + payload;
    }

    private static int sizeFieldLength(int payload) {
        int length = 1;
        for (int rest = payload >>> 7; rest > 0; rest >>>= 7) {
            length++;
        }
        return length;
    }

    /** Tag, then the size in 7-bit groups, most significant first, each but the last flagged 0x80. */
    private static void descriptorHeader(BoxWriter w, int tag, int payload) {
        w.u8(tag);
        for (int shift = 7 * (sizeFieldLength(payload) - 1); shift > 0; shift -= 7) {
            w.u8(0x80 | (payload >>> shift) & 0x7F);
        }
        w.u8(payload & 0x7F);
    }
}
