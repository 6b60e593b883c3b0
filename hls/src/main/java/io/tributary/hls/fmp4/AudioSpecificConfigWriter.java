package io.tributary.hls.fmp4;

import io.tributary.media.codec.AacConfig;
import java.io.ByteArrayOutputStream;
import java.util.Set;

/**
 * Rebuilds the AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1) that goes into an {@code esds} box from an
 * {@link AacConfig}, which keeps the parsed fields rather than the publisher's bytes.
 *
 * <p>HE-AAC is written with explicit hierarchical signalling (object type 5 or 29 first, then the core),
 * which every decoder that can play HE-AAC understands. What the parsed fields cannot carry is refused
 * rather than guessed: a program config element (channelConfiguration 0), object types whose specific
 * config is not a plain GASpecificConfig, and (silently, because AacConfig does not keep it) the 960-sample
 * frame length flag, which RTMP encoders do not use.
 */
final class AudioSpecificConfigWriter {
    private static final int AOT_ESCAPE = 31;
    /** AAC Main, LC, SSR, LTP: their GASpecificConfig is three zero bits when no PCE is needed. */
    private static final Set<Integer> PLAIN_GA_TYPES = Set.of(1, 2, 3, 4);
    private static final int[] SAMPLE_RATES =
            {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350};
    private static final int EXPLICIT_RATE_INDEX = 15;

    private AudioSpecificConfigWriter() {
    }

    /**
     * @throws IllegalArgumentException when the config needs data that {@link AacConfig} does not keep
     */
    static byte[] write(AacConfig config) {
        if (!PLAIN_GA_TYPES.contains(config.objectType())) {
            throw new IllegalArgumentException("cannot write an AudioSpecificConfig for audio object type "
                    + config.objectType() + "; only AAC Main, LC, SSR and LTP (1-4), optionally with SBR/PS, are "
                    + "supported");
        }
        if (config.channelConfig() == 0) {
            throw new IllegalArgumentException("cannot write an AudioSpecificConfig with channelConfiguration 0: "
                    + "its program config element is not kept by AacConfig");
        }
        Bits bits = new Bits();
        int ext = config.extensionObjectType();
        writeObjectType(bits, ext != 0 ? ext : config.objectType());
        writeRate(bits, config.sampleRateIndex(), config.sampleRate());
        bits.write(config.channelConfig(), 4);
        if (ext != 0) {
            writeRate(bits, rateIndex(config.extensionSampleRate()), config.extensionSampleRate());
            writeObjectType(bits, config.objectType());
        }
        bits.write(0, 1); // frameLengthFlag: 1024 samples per frame
        bits.write(0, 1); // dependsOnCoreCoder
        bits.write(0, 1); // extensionFlag
        return bits.toByteArray();
    }

    private static void writeObjectType(Bits bits, int type) {
        if (type < AOT_ESCAPE) {
            bits.write(type, 5);
        } else {
            bits.write(AOT_ESCAPE, 5);
            bits.write(type - 32, 6);
        }
    }

    private static void writeRate(Bits bits, int index, int rate) {
        bits.write(index, 4);
        if (index == EXPLICIT_RATE_INDEX) {
            bits.write(rate, 24);
        }
    }

    private static int rateIndex(int rate) {
        for (int i = 0; i < SAMPLE_RATES.length; i++) {
            if (SAMPLE_RATES[i] == rate) {
                return i;
            }
        }
        return EXPLICIT_RATE_INDEX;
    }

    /** Most significant bit first; the last byte is padded with zero bits. */
    private static final class Bits {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int current;
        private int used;

        void write(int value, int count) {
            for (int i = count - 1; i >= 0; i--) {
                current = current << 1 | (value >>> i) & 1;
                if (++used == 8) {
                    out.write(current);
                    current = 0;
                    used = 0;
                }
            }
        }

        byte[] toByteArray() {
            if (used > 0) {
                out.write(current << (8 - used));
                current = 0;
                used = 0;
            }
            return out.toByteArray();
        }
    }
}
