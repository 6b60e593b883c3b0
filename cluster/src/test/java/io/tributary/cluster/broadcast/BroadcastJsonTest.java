package io.tributary.cluster.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BroadcastJsonTest {

    /** Every field with a value that is not its default, so a forgotten field shows up. */
    static Broadcast everyField() {
        Broadcast b = new Broadcast("stream1");
        b.setName("Morning show");
        b.setDescription("Live from the studio");
        b.setStatus(BroadcastStatus.BROADCASTING);
        b.setType("ipCamera");
        b.setPublishType("RTMP");
        b.setPublish(false);
        b.setDate(1_700_000_000_000L);
        b.setStartTime(1_700_000_100_000L);
        b.setDuration(42_000L);
        b.setUpdateTime(1_700_000_200_000L);
        b.setZombi(true);
        b.setVideoCodec("h264");
        b.setAudioCodec("aac");
        b.setWidth(1280);
        b.setHeight(720);
        b.setBitrate(2_500_000L);
        b.setFps(29.97);
        b.setRtmpViewerCount(3);
        b.setHttpFlvViewerCount(4);
        b.setHlsViewerCount(5);
        b.setOriginAddress("10.0.0.1");
        b.setOriginNode("origin-1");
        b.setIpAddr("203.0.113.9");
        b.setRole("camera");
        b.setMainTrackStreamId("main1");
        b.setSubTrackStreamIds(new ArrayList<>(List.of("sub1", "sub2")));
        b.setVersion(7);
        return b;
    }

    @Test
    void writesAntMediaServerFieldNamesSpelledRight() throws Exception {
        JsonNode json = Json.mapper().readTree(Json.mapper().writeValueAsString(everyField()));

        assertThat(json.fieldNames()).toIterable().containsExactlyInAnyOrder(
                "streamId", "name", "description", "status", "type", "publishType", "publish", "date",
                "startTime", "duration", "updateTime", "zombi", "videoCodec", "audioCodec", "width", "height",
                "bitrate", "fps", "rtmpViewerCount", "httpFlvViewerCount", "hlsViewerCount", "dashViewerCount",
                "originAddress",
                "originNode", "ipAddr", "role", "mainTrackStreamId", "subTrackStreamIds", "version");
        assertThat(json.get("status").asText()).isEqualTo("broadcasting");
        assertThat(json.get("date").isIntegralNumber()).isTrue();
        assertThat(json.get("subTrackStreamIds").toString()).isEqualTo("[\"sub1\",\"sub2\"]");
    }

    @Test
    void leavesOutAbsentValuesAndKeepsDefaults() throws Exception {
        String json = Json.mapper().writeValueAsString(new Broadcast("demo"));

        JsonNode node = Json.mapper().readTree(json);
        assertThat(node.has("name")).isFalse();
        assertThat(node.has("publishType")).isFalse();
        assertThat(node.has("subTrackStreamIds")).isFalse();
        assertThat(json).doesNotContain("null");
        assertThat(node.get("status").asText()).isEqualTo("created");
        assertThat(node.get("type").asText()).isEqualTo("liveStream");
        assertThat(node.get("publish").asBoolean()).isTrue();
    }

    @Test
    void roundTripsEveryField() throws Exception {
        Broadcast original = everyField();

        Broadcast read = Json.mapper().readValue(Json.mapper().writeValueAsString(original), Broadcast.class);

        assertThat(read).usingRecursiveComparison().isEqualTo(original);
    }

    @Test
    void readsStatusInAnyCase() throws Exception {
        Broadcast read = Json.mapper().readValue("{\"streamId\":\"a\",\"status\":\"FINISHED\"}", Broadcast.class);

        assertThat(read.getStatus()).isEqualTo(BroadcastStatus.FINISHED);
    }

    @Test
    void refusesAnUnknownStatusSayingWhichAreKnown() {
        assertThatThrownBy(() -> Json.mapper().readValue("{\"status\":\"live\"}", Broadcast.class))
                .isInstanceOf(ValueInstantiationException.class)
                .hasMessageContaining("unknown broadcast status 'live' (expected created, broadcasting or finished)");
    }

    @Test
    void refusesAnUnknownPropertyNamingIt() {
        assertThatThrownBy(() -> Json.mapper().readValue("{\"streamId\":\"a\",\"originAdress\":\"x\"}", Broadcast.class))
                .isInstanceOfSatisfying(UnrecognizedPropertyException.class,
                        e -> assertThat(e.getPropertyName()).isEqualTo("originAdress"));
    }

    @Test
    void refusesValuesOfTheWrongType() {
        assertThatThrownBy(() -> Json.mapper().readValue("{\"width\":\"720\"}", Broadcast.class))
                .isInstanceOf(MismatchedInputException.class);
        assertThatThrownBy(() -> Json.mapper().readValue("{\"width\":null}", Broadcast.class))
                .isInstanceOf(MismatchedInputException.class);
        assertThatThrownBy(() -> Json.mapper().readValue("{\"width\":7.5}", Broadcast.class))
                .isInstanceOf(MismatchedInputException.class);
        assertThatThrownBy(() -> Json.mapper().readValue("{\"status\":1}", Broadcast.class))
                .as("an enum ordinal is not a status")
                .hasMessageContaining("unknown broadcast status '1'");
        assertThatThrownBy(() -> Json.mapper().readValue("{\"width\":1,\"width\":2}", Broadcast.class))
                .hasMessageContaining("Duplicate field 'width'");
    }

    @Test
    void copyIsCompleteAndDeep() {
        Broadcast original = everyField();

        Broadcast copy = original.copy();
        copy.getSubTrackStreamIds().add("sub3");

        assertThat(copy).usingRecursiveComparison().ignoringFields("subTrackStreamIds").isEqualTo(original);
        assertThat(original.getSubTrackStreamIds()).containsExactly("sub1", "sub2");
    }
}
