package io.tributary.media.flv;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.tributary.media.Frame;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FlvTagsTest {

    @ParameterizedTest(name = "audio={0} video={1}")
    @CsvSource({
        "true,  true,  464c56 01 05 00000009",
        "true,  false, 464c56 01 04 00000009",
        "false, true,  464c56 01 01 00000009",
        "false, false, 464c56 01 00 00000009"})
    void theFileHeaderAnnouncesTheTracks(boolean audio, boolean video, String hex) {
        ByteBuf header = FlvTags.fileHeader(UnpooledByteBufAllocator.DEFAULT, audio, video);

        assertThat(ByteBufUtil.hexDump(header)).isEqualTo(hex.replace(" ", ""));
        assertThat(header.readableBytes()).isEqualTo(FlvTags.FILE_HEADER_SIZE);
        header.release();
    }

    @ParameterizedTest(name = "{0} ms")
    @CsvSource({
        "0,          09 000010 000000 00 000000",
        "16777215,   09 000010 ffffff 00 000000",
        "16777216,   09 000010 000000 01 000000",
        "305419896,  09 000010 345678 12 000000",
        "4294967295, 09 000010 ffffff ff 000000"})
    void aTagHeaderCarriesTheTimestampInTwentyFourPlusEightBits(long timestamp, String hex) {
        ByteBuf out = Unpooled.buffer();

        FlvTags.writeTagHeader(out, FlvTags.VIDEO, 16, timestamp);

        assertThat(ByteBufUtil.hexDump(out)).isEqualTo(hex.replace(" ", ""));
        assertThat(out.readableBytes()).isEqualTo(FlvTags.TAG_HEADER_SIZE);
        out.release();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"17 00 000000, 9", "AF 01 21, 8", "02 0004 74657374, 18"})
    void theTagTypeFollowsTheFrameKind(String body, int tagType) {
        ByteBuf buf = FlvFramesTest.bytes(body);
        Frame frame = switch (tagType) {
            case FlvTags.VIDEO -> FlvFrames.video(0, buf);
            case FlvTags.AUDIO -> FlvFrames.audio(0, buf);
            default -> FlvFrames.data(0, buf);
        };

        assertThat(FlvTags.tagType(frame)).isEqualTo(tagType);
        frame.release();
    }
}
