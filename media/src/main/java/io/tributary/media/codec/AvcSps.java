package io.tributary.media.codec;

import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * H.264 sequence parameter set fields that matter to a media server: what to show for a live stream
 * (profile, level, display size, frame rate) and what a muxer needs to describe it.
 *
 * @param profileIdc      profile_idc (66 Baseline, 77 Main, 100 High, 110 High 10, 122 High 4:2:2,
 *                        244 High 4:4:4 Predictive, ...)
 * @param constraintFlags the byte holding constraint_set0..5_flag, as it appears in codec strings
 * @param levelIdc        level_idc, ten times the level number (31 is level 3.1)
 * @param chromaFormatIdc 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4
 * @param bitDepthLuma    8 to 14
 * @param width           display width in luma samples, after frame cropping
 * @param height          display height in luma samples of a whole frame (both fields), after cropping
 * @param frameRate       frames per second from the VUI timing info, or 0 when the SPS has none
 */
public record AvcSps(int profileIdc, int constraintFlags, int levelIdc, int chromaFormatIdc, int bitDepthLuma,
                     int width, int height, double frameRate) {

    private static final Logger LOG = LoggerFactory.getLogger(AvcSps.class);

    private static final int NAL_TYPE_SPS = 7;
    /** Profiles whose SPS carries chroma_format_idc, bit depths and scaling matrices (7.3.2.1.1). */
    static final Set<Integer> CHROMA_SYNTAX_PROFILES =
            Set.of(100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135);
    /** Far beyond level 6.2 (at most 1055 macroblocks a side); larger values can only be garbage. */
    private static final int MAX_MBS_PER_SIDE = 2048;

    /**
     * Parses an SPS NAL unit, starting with its one-byte NAL header and still containing
     * emulation-prevention bytes, exactly as found in an avcC record or an Annex-B stream.
     *
     * @throws CodecConfigException naming the syntax element at which the SPS stopped making sense
     */
    public static AvcSps parse(byte[] nalIncludingHeader) {
        Objects.requireNonNull(nalIncludingHeader, "nalIncludingHeader");
        byte[] nal = nalIncludingHeader;
        if (nal.length < 4) {
            throw new CodecConfigException("H.264 SPS is " + nal.length
                    + " byte(s) long, too short for its NAL header, profile and level");
        }
        int nalType = nal[0] & 0x1F;
        if ((nal[0] & 0x80) != 0 || nalType != NAL_TYPE_SPS) {
            throw new CodecConfigException(String.format(
                    "expected an H.264 SPS (NAL unit type 7) but the NAL header is 0x%02X (type %d)",
                    nal[0] & 0xFF, nalType));
        }
        try {
            return read(new BitReader(BitReader.unescapeRbsp(nal, 1, nal.length - 1)));
        } catch (CodecConfigException e) {
            throw new CodecConfigException("malformed H.264 SPS: " + e.getMessage(), e);
        }
    }

    private static AvcSps read(BitReader r) {
        int profileIdc = u(r, 8, "profile_idc");
        int constraintFlags = u(r, 8, "constraint_set_flags");
        int levelIdc = u(r, 8, "level_idc");
        ue(r, "seq_parameter_set_id", 31);
        int chromaFormatIdc = 1;
        boolean separateColourPlane = false;
        int bitDepthLuma = 8;
        if (CHROMA_SYNTAX_PROFILES.contains(profileIdc)) {
            chromaFormatIdc = (int) ue(r, "chroma_format_idc", 3);
            if (chromaFormatIdc == 3) {
                separateColourPlane = u(r, 1, "separate_colour_plane_flag") == 1;
            }
            bitDepthLuma = 8 + (int) ue(r, "bit_depth_luma_minus8", 6);
            ue(r, "bit_depth_chroma_minus8", 6);
            u(r, 1, "qpprime_y_zero_transform_bypass_flag");
            if (u(r, 1, "seq_scaling_matrix_present_flag") == 1) {
                int lists = chromaFormatIdc == 3 ? 12 : 8;
                for (int i = 0; i < lists; i++) {
                    if (u(r, 1, "seq_scaling_list_present_flag") == 1) {
                        skipScalingList(r, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        ue(r, "log2_max_frame_num_minus4", 12);
        long pocType = ue(r, "pic_order_cnt_type", 2);
        if (pocType == 0) {
            ue(r, "log2_max_pic_order_cnt_lsb_minus4", 12);
        } else if (pocType == 1) {
            u(r, 1, "delta_pic_order_always_zero_flag");
            se(r, "offset_for_non_ref_pic");
            se(r, "offset_for_top_to_bottom_field");
            long cycle = ue(r, "num_ref_frames_in_pic_order_cnt_cycle", 255);
            for (int i = 0; i < cycle; i++) {
                se(r, "offset_for_ref_frame");
            }
        }
        ue(r, "max_num_ref_frames", Long.MAX_VALUE);
        u(r, 1, "gaps_in_frame_num_value_allowed_flag");
        long widthMbs = ue(r, "pic_width_in_mbs_minus1", MAX_MBS_PER_SIDE - 1) + 1;
        long heightMapUnits = ue(r, "pic_height_in_map_units_minus1", MAX_MBS_PER_SIDE - 1) + 1;
        boolean frameMbsOnly = u(r, 1, "frame_mbs_only_flag") == 1;
        if (!frameMbsOnly) {
            u(r, 1, "mb_adaptive_frame_field_flag");
        }
        u(r, 1, "direct_8x8_inference_flag");
        long[] crop = new long[4];
        if (u(r, 1, "frame_cropping_flag") == 1) {
            String[] names = {"frame_crop_left_offset", "frame_crop_right_offset",
                "frame_crop_top_offset", "frame_crop_bottom_offset"};
            for (int i = 0; i < 4; i++) {
                crop[i] = ue(r, names[i], Long.MAX_VALUE);
            }
        }
        double frameRate = u(r, 1, "vui_parameters_present_flag") == 1 ? readVuiFrameRate(r) : 0;

        // Table 6-1 and the frame cropping semantics (7.4.2.1.1): with separate colour planes every
        // plane is luma-sized, and in field coding a map unit and a crop unit cover two frame lines.
        int chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
        int fieldFactor = frameMbsOnly ? 1 : 2;
        int cropUnitX = chromaArrayType == 1 || chromaArrayType == 2 ? 2 : 1;
        int cropUnitY = (chromaArrayType == 1 ? 2 : 1) * fieldFactor;
        long codedWidth = widthMbs * 16;
        long codedHeight = heightMapUnits * 16 * fieldFactor;
        long width = codedWidth - cropUnitX * (crop[0] + crop[1]);
        long height = codedHeight - cropUnitY * (crop[2] + crop[3]);
        if (width <= 0 || height <= 0) {
            throw new CodecConfigException(String.format(
                    "frame cropping (left %d, right %d, top %d, bottom %d) leaves nothing of the %dx%d coded picture",
                    crop[0], crop[1], crop[2], crop[3], codedWidth, codedHeight));
        }
        return new AvcSps(profileIdc, constraintFlags, levelIdc, chromaFormatIdc, bitDepthLuma,
                (int) width, (int) height, frameRate);
    }

    /**
     * Skips a scaling_list() (7.3.2.1.1.1). Its length depends on the coded deltas, which is why an
     * SPS with scaling matrices cannot be parsed by skipping a fixed number of bits.
     */
    private static void skipScalingList(BitReader r, int size) {
        int lastScale = 8;
        for (int j = 0; j < size; j++) {
            long delta = se(r, "delta_scale");
            if (delta < -128 || delta > 127) {
                throw new CodecConfigException("delta_scale " + delta + " is out of range -128..127");
            }
            int nextScale = (int) ((lastScale + delta + 256) % 256);
            if (nextScale == 0) {
                return; // the rest of the list repeats lastScale (or selects the default) and is not coded
            }
            lastScale = nextScale;
        }
    }

    /**
     * Reads the VUI (Annex E.1.1) up to its timing info. A VUI that ends early yields frame rate 0
     * instead of rejecting the stream: some encoders write VUIs cut short, and the picture size, which
     * matters far more, has already been read by then.
     */
    private static double readVuiFrameRate(BitReader r) {
        try {
            if (u(r, 1, "aspect_ratio_info_present_flag") == 1 && u(r, 8, "aspect_ratio_idc") == 255) {
                u(r, 32, "sar_width_and_height");
            }
            if (u(r, 1, "overscan_info_present_flag") == 1) {
                u(r, 1, "overscan_appropriate_flag");
            }
            if (u(r, 1, "video_signal_type_present_flag") == 1) {
                u(r, 4, "video_format_and_full_range_flag");
                if (u(r, 1, "colour_description_present_flag") == 1) {
                    u(r, 24, "colour_description");
                }
            }
            if (u(r, 1, "chroma_loc_info_present_flag") == 1) {
                ue(r, "chroma_sample_loc_type_top_field", 5);
                ue(r, "chroma_sample_loc_type_bottom_field", 5);
            }
            if (u(r, 1, "timing_info_present_flag") == 0) {
                return 0;
            }
            long numUnitsInTick = Integer.toUnsignedLong(u(r, 32, "num_units_in_tick"));
            long timeScale = Integer.toUnsignedLong(u(r, 32, "time_scale"));
            // A frame lasts two ticks (E.2.1 and the DeltaTfiDivisor of a frame in Table E-6).
            return numUnitsInTick == 0 || timeScale == 0 ? 0 : timeScale / (2.0 * numUnitsInTick);
        } catch (CodecConfigException e) {
            LOG.debug("ignoring unreadable H.264 VUI: {}", e.getMessage());
            return 0;
        }
    }

    private static int u(BitReader r, int bits, String field) {
        try {
            return r.readBits(bits);
        } catch (CodecConfigException e) {
            throw new CodecConfigException(field + ": " + e.getMessage(), e);
        }
    }

    private static long ue(BitReader r, String field, long max) {
        long value;
        try {
            value = r.readUe();
        } catch (CodecConfigException e) {
            throw new CodecConfigException(field + ": " + e.getMessage(), e);
        }
        if (value > max) {
            throw new CodecConfigException(field + " " + value + " is out of range 0.." + max);
        }
        return value;
    }

    private static long se(BitReader r, String field) {
        try {
            return r.readSe();
        } catch (CodecConfigException e) {
            throw new CodecConfigException(field + ": " + e.getMessage(), e);
        }
    }
}
