package io.tributary.media.codec;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An AVCDecoderConfigurationRecord (ISO/IEC 14496-15 5.3.3.1): the body of an FLV/RTMP AVC sequence
 * header after the 5-byte FLV video tag header, and the payload of an MP4 {@code avcC} box. It tells
 * a decoder how long the NAL length prefixes in each frame are and carries the SPS and PPS it needs.
 *
 * <p>Parameter set arrays are shared, not copied; nobody may modify them.
 *
 * @param profile       AVCProfileIndication, normally the SPS profile_idc
 * @param compatibility profile_compatibility, normally the SPS constraint flags byte
 * @param level         AVCLevelIndication, normally the SPS level_idc
 * @param nalLengthSize bytes in the length prefix of each NAL unit in a frame: 1, 2 or 4
 * @param sps           SPS NAL units (with their NAL header, still escaped), at least one
 * @param pps           PPS NAL units, possibly none when the source sends them in-band
 * @param firstSps      the first SPS, parsed; what the stream is described by
 */
public record AvcConfig(int profile, int compatibility, int level, int nalLengthSize, List<byte[]> sps,
                        List<byte[]> pps, AvcSps firstSps) {

    private static final int NAL_TYPE_SPS = 7;
    private static final int NAL_TYPE_PPS = 8;
    private static final int MAX_SPS = 31;
    private static final int MAX_PPS = 255;
    private static final int MAX_NAL_SIZE = 0xFFFF;

    public AvcConfig {
        sps = List.copyOf(sps);
        pps = List.copyOf(pps);
        Objects.requireNonNull(firstSps, "firstSps");
        if (sps.isEmpty() || sps.size() > MAX_SPS || pps.size() > MAX_PPS) {
            throw new IllegalArgumentException("a record holds 1 to " + MAX_SPS + " SPS and 0 to " + MAX_PPS
                    + " PPS, not " + sps.size() + " and " + pps.size());
        }
        if (nalLengthSize != 1 && nalLengthSize != 2 && nalLengthSize != 4) {
            throw new IllegalArgumentException("NAL length size must be 1, 2 or 4, not " + nalLengthSize);
        }
    }

    /**
     * Parses the record between the reader index and the writer index without moving either.
     *
     * @throws CodecConfigException when the record is truncated, has no SPS, or its first SPS is malformed
     */
    public static AvcConfig parse(ByteBuf record) {
        Reader in = new Reader(record);
        int version = in.u8("configurationVersion");
        if (version != 1) {
            throw new CodecConfigException(String.format("AVCDecoderConfigurationRecord has configurationVersion "
                    + "0x%02X, expected 1 (is the FLV video tag header still in front of it?)", version));
        }
        int profile = in.u8("AVCProfileIndication");
        int compatibility = in.u8("profile_compatibility");
        int level = in.u8("AVCLevelIndication");
        int nalLengthSize = (in.u8("lengthSizeMinusOne") & 3) + 1;
        if (nalLengthSize == 3) {
            throw new CodecConfigException("AVCDecoderConfigurationRecord has a NAL length size of 3 bytes; "
                    + "only 1, 2 and 4 are allowed");
        }
        int spsCount = in.u8("numOfSequenceParameterSets") & 0x1F;
        if (spsCount == 0) {
            throw new CodecConfigException("AVCDecoderConfigurationRecord contains no SPS");
        }
        List<byte[]> sps = in.parameterSets(spsCount, "SPS");
        List<byte[]> pps = in.parameterSets(in.u8("numOfPictureParameterSets"), "PPS");
        // High profile records may go on with chroma format, bit depths and SPS extensions; all of that
        // is repeated in the SPS itself, so it is not read.
        return new AvcConfig(profile, compatibility, level, nalLengthSize, sps, pps, AvcSps.parse(sps.get(0)));
    }

    /**
     * Builds the record for parameter sets taken from an Annex-B stream (NAL units without start codes),
     * with 4-byte NAL lengths.
     *
     * @throws CodecConfigException when there is no SPS, a NAL unit is of the wrong type, or the first SPS
     *                              is malformed
     */
    public static AvcConfig fromParameterSets(List<byte[]> sps, List<byte[]> pps) {
        check(sps, NAL_TYPE_SPS, "SPS", MAX_SPS);
        check(pps, NAL_TYPE_PPS, "PPS", MAX_PPS);
        if (sps.isEmpty()) {
            throw new CodecConfigException("cannot build an AVCDecoderConfigurationRecord without an SPS");
        }
        byte[] first = sps.get(0);
        AvcSps parsed = AvcSps.parse(first);
        return new AvcConfig(first[1] & 0xFF, first[2] & 0xFF, first[3] & 0xFF, 4, sps, pps, parsed);
    }

    /** Serialises this configuration as an AVCDecoderConfigurationRecord. */
    public byte[] toRecord() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(1);
        out.write(profile);
        out.write(compatibility);
        out.write(level);
        out.write(0xFC | (nalLengthSize - 1));
        out.write(0xE0 | sps.size());
        sps.forEach(nal -> writeNal(out, nal));
        out.write(pps.size());
        pps.forEach(nal -> writeNal(out, nal));
        // 14496-15 requires these for High profiles; like FFmpeg we write them whenever the SPS itself
        // carries chroma format and bit depth, which covers High 4:4:4 Predictive as players expect.
        if (AvcSps.CHROMA_SYNTAX_PROFILES.contains(firstSps.profileIdc())) {
            out.write(0xFC | firstSps.chromaFormatIdc());
            out.write(0xF8 | (firstSps.bitDepthLuma() - 8));
            out.write(0xF8 | (chromaBitDepth(sps.get(0)) - 8));
            out.write(0); // numOfSequenceParameterSetExt
        }
        return out.toByteArray();
    }

    public int width() {
        return firstSps.width();
    }

    public int height() {
        return firstSps.height();
    }

    /**
     * The RFC 6381 codecs parameter, such as {@code avc1.64001F}, in upper-case hex as Apple's tools
     * print it. Built from the SPS rather than the record header because decoders obey the SPS when an
     * encoder lets the two disagree.
     */
    public String codecString() {
        return String.format("avc1.%02X%02X%02X",
                firstSps.profileIdc(), firstSps.constraintFlags(), firstSps.levelIdc());
    }

    /**
     * bit_depth_chroma_minus8 + 8 of an SPS that has already parsed. Only the record extension needs it,
     * so it is not part of {@link AvcSps}.
     */
    private static int chromaBitDepth(byte[] sps) {
        BitReader r = new BitReader(BitReader.unescapeRbsp(sps, 1, sps.length - 1));
        r.skipBits(24); // profile_idc, constraint flags, level_idc
        r.readUe(); // seq_parameter_set_id
        if (r.readUe() == 3) {
            r.skipBits(1); // separate_colour_plane_flag
        }
        r.readUe(); // bit_depth_luma_minus8
        return (int) r.readUe() + 8;
    }

    private static void check(List<byte[]> nals, int type, String name, int max) {
        Objects.requireNonNull(nals, name);
        if (nals.size() > max) {
            throw new CodecConfigException("an AVCDecoderConfigurationRecord holds at most " + max + " " + name
                    + ", not " + nals.size());
        }
        for (byte[] nal : nals) {
            if (nal.length < (type == NAL_TYPE_SPS ? 4 : 2) || nal.length > MAX_NAL_SIZE) {
                throw new CodecConfigException(name + " of " + nal.length + " bytes cannot be stored in an "
                        + "AVCDecoderConfigurationRecord");
            }
            if ((nal[0] & 0x1F) != type) {
                throw new CodecConfigException(String.format("expected %s (NAL unit type %d) but got NAL unit type "
                        + "%d; are Annex-B start codes still attached?", name, type, nal[0] & 0x1F));
            }
        }
    }

    private static void writeNal(ByteArrayOutputStream out, byte[] nal) {
        out.write(nal.length >>> 8);
        out.write(nal.length & 0xFF);
        out.write(nal, 0, nal.length);
    }

    /** Bounds-checked absolute reads, so that a truncated record is reported by what is missing. */
    private static final class Reader {
        private final ByteBuf buf;
        private final int end;
        private int index;

        Reader(ByteBuf buf) {
            this.buf = Objects.requireNonNull(buf, "record");
            this.index = buf.readerIndex();
            this.end = buf.writerIndex();
        }

        int u8(String field) {
            require(1, field);
            return buf.getUnsignedByte(index++);
        }

        List<byte[]> parameterSets(int count, String name) {
            List<byte[]> sets = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String what = name + " " + (i + 1) + " of " + count;
                require(2, "length of " + what);
                int length = buf.getUnsignedShort(index);
                index += 2;
                if (length == 0) {
                    throw new CodecConfigException("AVCDecoderConfigurationRecord has an empty " + what);
                }
                require(length, what + " (" + length + " bytes)");
                byte[] nal = new byte[length];
                buf.getBytes(index, nal);
                index += length;
                sets.add(nal);
            }
            return sets;
        }

        private void require(int n, String field) {
            if (end - index < n) {
                throw new CodecConfigException("AVCDecoderConfigurationRecord is truncated: " + field + " needs "
                        + n + " byte(s) at offset " + (index - buf.readerIndex()) + " but only " + (end - index)
                        + " remain");
            }
        }
    }
}
