package io.tributary.media.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.Objects;
import java.util.Set;

/**
 * An AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1): the body of an FLV/RTMP AAC sequence header after
 * the 2-byte FLV audio tag header, and the DecoderSpecificInfo of an MP4 {@code esds} box.
 *
 * <p>HE-AAC is AAC with SBR (and for v2 also PS) layered on a core decoder; both explicit signallings
 * are understood, the hierarchical one (object type 5 or 29 first) and the backward-compatible sync
 * extension after an AAC LC config. Either way {@code objectType}, {@code sampleRate} and
 * {@code channels} describe the core, because that is what an ADTS header and a core decoder need,
 * and the extension fields say what the listener gets on top.
 *
 * @param objectType          the core audio object type: 2 for AAC LC, also under HE-AAC
 * @param sampleRateIndex     samplingFrequencyIndex of the core: 0..12, or 15 when the rate is explicit
 * @param sampleRate          the core sampling rate in Hz
 * @param channelConfig       channelConfiguration: 0 means the channels are described by a program
 *                            config element
 * @param channels            channels the core decodes, 0 when channelConfig is 0 and no program config
 *                            element could be read
 * @param extensionObjectType 5 when SBR is signalled, 29 when SBR and PS are, 0 otherwise
 * @param extensionSampleRate the output sampling rate with SBR in Hz, 0 without SBR
 */
public record AacConfig(int objectType, int sampleRateIndex, int sampleRate, int channelConfig, int channels,
                        int extensionObjectType, int extensionSampleRate) {

    static final int[] SAMPLE_RATES =
            {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350};
    static final int EXPLICIT_RATE_INDEX = 15;
    private static final int AOT_ESCAPE = 31;
    private static final int AOT_SBR = 5;
    private static final int AOT_PS = 29;
    private static final int AOT_ER_BSAC = 22;
    /** Object types whose config is a GASpecificConfig, which is where a program config element lives. */
    private static final Set<Integer> GA_TYPES = Set.of(1, 2, 3, 4, 6, 7, 17, 19, 20, 21, 22, 23);
    /** Non-error-resilient GA types: only these may be followed by the backward-compatible sync extension. */
    private static final Set<Integer> SYNC_EXTENSION_TYPES = Set.of(1, 2, 3, 4, 6, 7);
    private static final int SYNC_SBR = 0x2B7;
    private static final int SYNC_PS = 0x548;

    /** Config without SBR or PS. */
    public AacConfig(int objectType, int sampleRateIndex, int sampleRate, int channelConfig, int channels) {
        this(objectType, sampleRateIndex, sampleRate, channelConfig, channels, 0, 0);
    }

    /**
     * Parses the config between the reader index and the writer index without moving either.
     *
     * @throws CodecConfigException when the config is truncated or uses reserved values
     */
    public static AacConfig parse(ByteBuf asc) {
        Objects.requireNonNull(asc, "asc");
        if (!asc.isReadable()) {
            throw new CodecConfigException("AudioSpecificConfig is empty");
        }
        try {
            return read(new BitReader(ByteBufUtil.getBytes(asc)));
        } catch (CodecConfigException e) {
            throw new CodecConfigException("malformed AudioSpecificConfig: " + e.getMessage(), e);
        }
    }

    private static AacConfig read(BitReader r) {
        int objectType = readObjectType(r);
        int sampleRateIndex = r.readBits(4);
        int sampleRate = readSampleRate(r, sampleRateIndex);
        int channelConfig = r.readBits(4);
        int channels = channelsFor(channelConfig);
        int extensionType = 0;
        int extensionRate = 0;
        if (objectType == AOT_SBR || objectType == AOT_PS) {
            extensionType = objectType;
            extensionRate = readSampleRate(r, r.readBits(4));
            objectType = readObjectType(r);
            if (objectType == AOT_ER_BSAC) {
                r.skipBits(4); // extensionChannelConfiguration
            }
        }
        if (!GA_TYPES.contains(objectType)) {
            // Other object types (USAC, ALS, CELP, ...) are reported but their configs are not read.
            return new AacConfig(objectType, sampleRateIndex, sampleRate, channelConfig, channels,
                    extensionType, extensionRate);
        }
        int pceChannels;
        try {
            pceChannels = skipGaSpecificConfig(r, objectType, channelConfig);
        } catch (CodecConfigException e) {
            throw new CodecConfigException("GASpecificConfig: " + e.getMessage(), e);
        }
        if (channelConfig == 0) {
            channels = pceChannels;
        }
        AacConfig core = new AacConfig(objectType, sampleRateIndex, sampleRate, channelConfig, channels,
                extensionType, extensionRate);
        return extensionType == 0 && SYNC_EXTENSION_TYPES.contains(objectType) ? readSyncExtension(r, core) : core;
    }

    /**
     * Reads the backward-compatible SBR/PS signalling that may follow an AAC config (1.6.5.2). It is
     * optional trailing data, so anything there that is not a complete sync extension is ignored
     * rather than failing a config whose core is fine.
     */
    private static AacConfig readSyncExtension(BitReader r, AacConfig core) {
        try {
            if (r.bitsLeft() < 16 || r.readBits(11) != SYNC_SBR || readObjectType(r) != AOT_SBR
                    || r.readBit() == 0) {
                return core;
            }
            int rate = readSampleRate(r, r.readBits(4));
            boolean ps = r.bitsLeft() >= 12 && r.readBits(11) == SYNC_PS && r.readBit() == 1;
            return new AacConfig(core.objectType, core.sampleRateIndex, core.sampleRate, core.channelConfig,
                    core.channels, ps ? AOT_PS : AOT_SBR, rate);
        } catch (CodecConfigException e) {
            return core;
        }
    }

    /** The RFC 6381 codecs parameter: {@code mp4a.40.2}, or {@code .5} / {@code .29} for HE-AAC v1 / v2. */
    public String codecString() {
        return "mp4a.40." + (extensionObjectType != 0 ? extensionObjectType : objectType);
    }

    /** The sampling rate a listener hears: the SBR rate when SBR is signalled, else the core rate. */
    public int outputSampleRate() {
        return extensionSampleRate != 0 ? extensionSampleRate : sampleRate;
    }

    /** The channels a listener hears: parametric stereo turns a mono core into stereo. */
    public int outputChannels() {
        return extensionObjectType == AOT_PS && channels == 1 ? 2 : channels;
    }

    /**
     * The 7-byte ADTS header (no CRC) to put in front of one raw AAC frame of {@code aacFrameLength}
     * bytes, as HLS MPEG-TS segments carry AAC. HE-AAC goes out as its AAC LC core, which decoders
     * upgrade by finding SBR data in the frames.
     *
     * @throws CodecConfigException     when this config cannot be expressed in ADTS
     * @throws IllegalArgumentException when the frame is too long for ADTS's 13-bit length
     */
    public byte[] adtsHeader(int aacFrameLength) {
        return AdtsHeader.write(this, aacFrameLength);
    }

    /**
     * Reads the config out of an ADTS header (7 bytes, or 9 with CRC; only the first 7 are read).
     *
     * @throws CodecConfigException when it is not an ADTS header or uses reserved values
     */
    public static AacConfig fromAdts(byte[] header) {
        return AdtsHeader.read(header);
    }

    /** Channels for a channelConfiguration (Table 1.19 of 14496-3, with the 2009+ additions). */
    static int channelsFor(int channelConfig) {
        return switch (channelConfig) {
            case 0 -> 0;
            case 1, 2, 3, 4, 5, 6 -> channelConfig;
            case 7, 12, 14 -> 8;
            case 11 -> 7;
            case 13 -> 24;
            default -> throw new CodecConfigException("channelConfiguration " + channelConfig + " is reserved");
        };
    }

    static int sampleRateFor(int index) {
        if (index >= SAMPLE_RATES.length) {
            throw new CodecConfigException("samplingFrequencyIndex " + index + " is reserved");
        }
        return SAMPLE_RATES[index];
    }

    private static int readObjectType(BitReader r) {
        int type = r.readBits(5);
        if (type == AOT_ESCAPE) {
            type = 32 + r.readBits(6);
        }
        if (type == 0) {
            throw new CodecConfigException("audioObjectType is 0 (null object)");
        }
        return type;
    }

    private static int readSampleRate(BitReader r, int index) {
        if (index != EXPLICIT_RATE_INDEX) {
            return sampleRateFor(index);
        }
        int rate = r.readBits(24);
        if (rate == 0) {
            throw new CodecConfigException("explicit samplingFrequency is 0");
        }
        return rate;
    }

    /** Skips a GASpecificConfig (4.4.1); returns the channels of its program config element, if any. */
    private static int skipGaSpecificConfig(BitReader r, int objectType, int channelConfig) {
        r.skipBits(1); // frameLengthFlag
        if (r.readBit() == 1) {
            r.skipBits(14); // coreCoderDelay
        }
        int extensionFlag = r.readBit();
        int channels = 0;
        if (channelConfig == 0) {
            try {
                channels = readProgramConfigElementChannels(r);
            } catch (CodecConfigException e) {
                throw new CodecConfigException("program_config_element: " + e.getMessage(), e);
            }
        }
        if (objectType == 6 || objectType == 20) {
            r.skipBits(3); // layerNr
        }
        if (extensionFlag == 1) {
            if (objectType == AOT_ER_BSAC) {
                r.skipBits(16); // numOfSubFrame, layer_length
            }
            if (objectType == 17 || objectType == 19 || objectType == 20 || objectType == 23) {
                r.skipBits(3); // the three error resilience flags
            }
            r.skipBits(1); // extensionFlag3
        }
        return channels;
    }

    /** Counts the channels a program_config_element (4.4.1.1) lays out, skipping everything else in it. */
    private static int readProgramConfigElementChannels(BitReader r) {
        r.skipBits(10); // element_instance_tag, object_type, sampling_frequency_index
        int front = r.readBits(4);
        int side = r.readBits(4);
        int back = r.readBits(4);
        int lfe = r.readBits(2);
        int assocData = r.readBits(3);
        int validCc = r.readBits(4);
        for (int mixdownBits : new int[] {4, 4, 3}) {
            if (r.readBit() == 1) {
                r.skipBits(mixdownBits);
            }
        }
        int channels = lfe;
        for (int i = 0; i < front + side + back; i++) {
            channels += r.readBit() == 1 ? 2 : 1; // a channel pair element carries two channels
            r.skipBits(4);
        }
        r.skipBits(4 * lfe + 4 * assocData + 5 * validCc);
        r.skipBits((8 - r.position() % 8) % 8); // byte_alignment() relative to the start of the config
        r.skipBits(8 * r.readBits(8)); // comment_field_data
        return channels;
    }
}
