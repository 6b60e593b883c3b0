package io.tributary.media.flv;

import io.netty.buffer.ByteBuf;
import io.tributary.media.Codec;
import io.tributary.media.Frame;

/**
 * Turns FLV tag bodies (the payload of RTMP audio/video/data messages and of FLV file tags) into
 * {@link Frame}s, understanding both the legacy FLV headers and Enhanced RTMP's FourCC headers.
 */
public final class FlvFrames {

    /** FLV video codec ids (legacy header) that we parse; everything else passes through. */
    private static final int VIDEO_AVC = 7;
    private static final int VIDEO_HEVC_LEGACY = 12;
    private static final int AUDIO_MP3 = 2;
    private static final int AUDIO_AAC = 10;
    private static final int AUDIO_EX_HEADER = 9;
    private static final int AUDIO_MP3_8K = 14;

    private static final int PACKET_METADATA = 4;
    private static final int PACKET_MULTITRACK = 6;

    private static final int FOURCC_AVC1 = fourCc("avc1");
    private static final int FOURCC_HVC1 = fourCc("hvc1");
    private static final int FOURCC_AV01 = fourCc("av01");
    private static final int FOURCC_VP09 = fourCc("vp09");
    private static final int FOURCC_OPUS = fourCc("Opus");
    private static final int FOURCC_MP4A = fourCc("mp4a");
    private static final int FOURCC_MP3 = fourCc(".mp3");

    private FlvFrames() {
    }

    /**
     * Parses a video tag body. Takes over the caller's reference to {@code body}: on success the frame
     * owns it; on failure it is released.
     *
     * @throws FlvFormatException when the body is too short or its header is inconsistent
     */
    public static Frame video(long dts, ByteBuf body) {
        try {
            return parseVideo(dts, body);
        } catch (RuntimeException e) {
            body.release();
            throw e;
        }
    }

    /** Parses an audio tag body; same ownership rules as {@link #video}. */
    public static Frame audio(long dts, ByteBuf body) {
        try {
            return parseAudio(dts, body);
        } catch (RuntimeException e) {
            body.release();
            throw e;
        }
    }

    /** Wraps a script data body (AMF0 values); takes over the reference. */
    public static Frame data(long dts, ByteBuf body) {
        return new Frame(Codec.AMF0, Frame.Type.INFO, false, dts, 0, body, 0);
    }

    private static Frame parseVideo(long dts, ByteBuf body) {
        int at = body.readerIndex();
        int length = body.readableBytes();
        require(length >= 1, "empty video tag");
        int first = body.getUnsignedByte(at);
        if ((first & 0x80) != 0) {
            return parseEnhancedVideo(dts, body, first);
        }
        int frameType = first >> 4;
        int codecId = first & 0x0F;
        if (frameType == 5) {
            return new Frame(codecForLegacyVideo(codecId), Frame.Type.INFO, false, dts, 0, body, 1);
        }
        if (codecId != VIDEO_AVC && codecId != VIDEO_HEVC_LEGACY) {
            return new Frame(Codec.FLV_LEGACY_VIDEO, Frame.Type.CODED, frameType == 1, dts, 0, body, 1);
        }
        require(length >= 5, "AVC video tag shorter than its 5-byte header");
        int packetType = body.getUnsignedByte(at + 1);
        int cts = signed24(body.getUnsignedMedium(at + 2));
        Codec codec = codecId == VIDEO_AVC ? Codec.H264 : Codec.HEVC;
        return switch (packetType) {
            case 0 -> new Frame(codec, Frame.Type.CONFIG, false, dts, 0, body, 5);
            case 1 -> new Frame(codec, Frame.Type.CODED, frameType == 1, dts, cts, body, 5);
            case 2 -> new Frame(codec, Frame.Type.SEQUENCE_END, false, dts, 0, body, 5);
            default -> throw new FlvFormatException("unknown AVC packet type " + packetType);
        };
    }

    /** Enhanced RTMP: [isExHeader:1][frameType:3][packetType:4][FourCC:32] then per packet type fields. */
    private static Frame parseEnhancedVideo(long dts, ByteBuf body, int first) {
        int at = body.readerIndex();
        int frameType = (first >> 4) & 0x07;
        int packetType = first & 0x0F;
        if (frameType == 5 && packetType != PACKET_METADATA) {
            // A command frame: one command byte follows, no FourCC, no media.
            require(body.readableBytes() >= 2, "enhanced video command frame without its command byte");
            return new Frame(Codec.FLV_LEGACY_VIDEO, Frame.Type.INFO, false, dts, 0, body, 1);
        }
        if (packetType == PACKET_MULTITRACK) {
            // [multitrackType:4][packetType:4] then the FourCC; carried through untouched.
            require(body.readableBytes() >= 6, "enhanced multitrack video tag shorter than its header");
            return new Frame(codecForFourCc(body.getInt(at + 2)), Frame.Type.INFO, false, dts, 0, body, 2);
        }
        require(body.readableBytes() >= 5, "enhanced video tag shorter than its FourCC header");
        Codec codec = codecForFourCc(body.getInt(at + 1));
        boolean key = frameType == 1;
        return switch (packetType) {
            case 0 -> new Frame(codec, Frame.Type.CONFIG, false, dts, 0, body, 5);
            case 1 -> {
                // Only AVC and HEVC carry a composition time here; AV1 and VP9 have none.
                if (codec == Codec.H264 || codec == Codec.HEVC) {
                    require(body.readableBytes() >= 8, "enhanced coded frame shorter than its header");
                    yield new Frame(codec, Frame.Type.CODED, key, dts,
                            signed24(body.getUnsignedMedium(at + 5)), body, 8);
                }
                yield new Frame(codec, Frame.Type.CODED, key, dts, 0, body, 5);
            }
            case 2 -> new Frame(codec, Frame.Type.SEQUENCE_END, false, dts, 0, body, 5);
            case 3 -> new Frame(codec, Frame.Type.CODED, key, dts, 0, body, 5);
            // Metadata (HDR), MPEG-2 TS sequence start: carried through untouched.
            default -> new Frame(codec, Frame.Type.INFO, false, dts, 0, body, 5);
        };
    }

    private static Frame parseAudio(long dts, ByteBuf body) {
        int at = body.readerIndex();
        require(body.readableBytes() >= 1, "empty audio tag");
        int first = body.getUnsignedByte(at);
        int soundFormat = first >> 4;
        if (soundFormat == AUDIO_AAC) {
            require(body.readableBytes() >= 2, "AAC audio tag shorter than its 2-byte header");
            int packetType = body.getUnsignedByte(at + 1);
            return switch (packetType) {
                case 0 -> new Frame(Codec.AAC, Frame.Type.CONFIG, false, dts, 0, body, 2);
                case 1 -> new Frame(Codec.AAC, Frame.Type.CODED, false, dts, 0, body, 2);
                default -> throw new FlvFormatException("unknown AAC packet type " + packetType);
            };
        }
        if (soundFormat == AUDIO_EX_HEADER) {
            require(body.readableBytes() >= 5, "enhanced audio tag shorter than its FourCC header");
            int packetType = first & 0x0F;
            Codec codec = audioCodecForFourCc(body.getInt(at + 1));
            Frame.Type type = switch (packetType) {
                case 0 -> Frame.Type.CONFIG;
                case 1 -> Frame.Type.CODED;
                case 2 -> Frame.Type.SEQUENCE_END;
                default -> Frame.Type.INFO;
            };
            return new Frame(codec, type, false, dts, 0, body, 5);
        }
        Codec codec = soundFormat == AUDIO_MP3 || soundFormat == AUDIO_MP3_8K ? Codec.MP3 : Codec.FLV_LEGACY_AUDIO;
        return new Frame(codec, Frame.Type.CODED, false, dts, 0, body, 1);
    }

    private static Codec codecForLegacyVideo(int codecId) {
        return switch (codecId) {
            case VIDEO_AVC -> Codec.H264;
            case VIDEO_HEVC_LEGACY -> Codec.HEVC;
            default -> Codec.FLV_LEGACY_VIDEO;
        };
    }

    private static Codec codecForFourCc(int fourCc) {
        if (fourCc == FOURCC_AVC1) {
            return Codec.H264;
        } else if (fourCc == FOURCC_HVC1) {
            return Codec.HEVC;
        } else if (fourCc == FOURCC_AV01) {
            return Codec.AV1;
        } else if (fourCc == FOURCC_VP09) {
            return Codec.VP9;
        }
        throw new FlvFormatException("unsupported video FourCC " + fourCcName(fourCc));
    }

    private static Codec audioCodecForFourCc(int fourCc) {
        if (fourCc == FOURCC_OPUS) {
            return Codec.OPUS;
        } else if (fourCc == FOURCC_MP4A) {
            return Codec.AAC;
        } else if (fourCc == FOURCC_MP3) {
            return Codec.MP3;
        }
        return Codec.FLV_LEGACY_AUDIO;
    }

    static int fourCc(String s) {
        return (s.charAt(0) << 24) | (s.charAt(1) << 16) | (s.charAt(2) << 8) | s.charAt(3);
    }

    private static String fourCcName(int v) {
        StringBuilder sb = new StringBuilder(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            int c = (v >> shift) & 0xFF;
            sb.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
        }
        return sb.toString();
    }

    private static int signed24(int v) {
        return (v << 8) >> 8;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new FlvFormatException(message);
        }
    }
}
