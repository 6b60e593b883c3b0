package io.tributary.media.codec;

import java.util.Objects;

/**
 * Writes and reads the fixed and variable parts of an ADTS header (ISO/IEC 14496-3 1.A.2.2), the framing
 * that MPEG-TS carries AAC in. Only the fields that matter for remuxing are set: MPEG-4 ID, no CRC, no
 * copyright bits, buffer fullness 0x7FF (variable bit rate) and one raw data block per frame.
 */
final class AdtsHeader {
    static final int LENGTH = 7;
    private static final int MAX_FRAME_LENGTH = (1 << 13) - 1;

    private AdtsHeader() {
    }

    static byte[] write(AacConfig config, int aacFrameLength) {
        if (config.objectType() < 1 || config.objectType() > 4) {
            throw new CodecConfigException("AAC object type " + config.objectType()
                    + " cannot be carried in ADTS, which only signals types 1 to 4 (Main, LC, SSR, LTP)");
        }
        if (config.channelConfig() < 1 || config.channelConfig() > 7) {
            throw new CodecConfigException("channelConfiguration " + config.channelConfig()
                    + " cannot be carried in an ADTS header (1 to 7 only)");
        }
        int frameLength = aacFrameLength + LENGTH;
        if (aacFrameLength < 0 || frameLength > MAX_FRAME_LENGTH) {
            throw new IllegalArgumentException("an ADTS frame holds 0 to " + (MAX_FRAME_LENGTH - LENGTH)
                    + " bytes of AAC, not " + aacFrameLength);
        }
        int profile = config.objectType() - 1;
        int index = rateIndex(config);
        int channels = config.channelConfig();
        return new byte[] {
            (byte) 0xFF,
            (byte) 0xF1, // end of syncword, ID 0 (MPEG-4), layer 0, protection_absent 1
            (byte) (profile << 6 | index << 2 | channels >> 2),
            (byte) ((channels & 3) << 6 | frameLength >> 11),
            (byte) (frameLength >> 3),
            (byte) ((frameLength & 7) << 5 | 0x1F),
            (byte) 0xFC,
        };
    }

    static AacConfig read(byte[] header) {
        Objects.requireNonNull(header, "header");
        if (header.length < LENGTH) {
            throw new CodecConfigException("ADTS header needs " + LENGTH + " bytes, got " + header.length);
        }
        if ((header[0] & 0xFF) != 0xFF || (header[1] & 0xF6) != 0xF0) {
            throw new CodecConfigException(String.format(
                    "not an ADTS header: starts 0x%02X%02X, expected syncword 0xFFF and layer 0",
                    header[0] & 0xFF, header[1] & 0xFF));
        }
        int objectType = (header[2] >> 6 & 3) + 1;
        int index = header[2] >> 2 & 0xF;
        int channelConfig = (header[2] & 1) << 2 | (header[3] >> 6 & 3);
        if (index >= AacConfig.SAMPLE_RATES.length) {
            throw new CodecConfigException("ADTS header has reserved sampling_frequency_index " + index);
        }
        return new AacConfig(objectType, index, AacConfig.SAMPLE_RATES[index], channelConfig,
                AacConfig.channelsFor(channelConfig));
    }

    /** ADTS has no escape for explicit rates, so an explicit rate must be one the table lists. */
    private static int rateIndex(AacConfig config) {
        if (config.sampleRateIndex() < AacConfig.SAMPLE_RATES.length) {
            return config.sampleRateIndex();
        }
        for (int i = 0; i < AacConfig.SAMPLE_RATES.length; i++) {
            if (AacConfig.SAMPLE_RATES[i] == config.sampleRate()) {
                return i;
            }
        }
        throw new CodecConfigException("sampling rate " + config.sampleRate()
                + " Hz has no samplingFrequencyIndex and cannot be carried in ADTS");
    }
}
