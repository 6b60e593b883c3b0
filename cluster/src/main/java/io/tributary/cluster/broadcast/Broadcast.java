package io.tributary.cluster.broadcast;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * The record a node keeps for one live stream, in the shape of Ant Media Server's
 * {@code /{app}/rest/v2/broadcasts} API. The same JSON is what the REST API serves and what every
 * store engine keeps, so a field's name here is its name everywhere. The app is not a field:
 * stores key records by app and stream id.
 *
 * <p>Mutable and not thread-safe: stores hand out fresh copies, and callers change their copy.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonAutoDetect(fieldVisibility = Visibility.NONE, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE,
        creatorVisibility = Visibility.NONE)
public final class Broadcast {

    public static final String TYPE_LIVE_STREAM = "liveStream";

    /** Unique within its app; see {@link StreamIds}. */
    @JsonProperty("streamId")
    private String streamId;

    @JsonProperty("name")
    private String name;

    @JsonProperty("description")
    private String description;

    @JsonProperty("status")
    private BroadcastStatus status = BroadcastStatus.CREATED;

    /** Ant Media Server's broadcast type; {@code liveStream} for everything published live. */
    @JsonProperty("type")
    private String type = TYPE_LIVE_STREAM;

    /** Protocol of the current or last publisher, e.g. {@code RTMP}; null until first published. */
    @JsonProperty("publishType")
    private String publishType;

    /** False refuses publishers without deleting the record. */
    @JsonProperty("publish")
    private boolean publish = true;

    /** Creation time, epoch ms. */
    @JsonProperty("date")
    private long date;

    /** When the current or last broadcast started, epoch ms; 0 if never. */
    @JsonProperty("startTime")
    private long startTime;

    /** Length of the last finished broadcast in ms; 0 until one finishes. */
    @JsonProperty("duration")
    private long duration;

    /** Last change, epoch ms. */
    @JsonProperty("updateTime")
    private long updateTime;

    /** Created by a publish rather than the API, and removed when that publish stops (AMS's term). */
    @JsonProperty("zombi")
    private boolean zombi;

    /** e.g. {@code h264}. */
    @JsonProperty("videoCodec")
    private String videoCodec;

    /** e.g. {@code aac}. */
    @JsonProperty("audioCodec")
    private String audioCodec;

    @JsonProperty("width")
    private int width;

    @JsonProperty("height")
    private int height;

    /** Bits per second. */
    @JsonProperty("bitrate")
    private long bitrate;

    @JsonProperty("fps")
    private double fps;

    @JsonProperty("rtmpViewerCount")
    private int rtmpViewerCount;

    @JsonProperty("httpFlvViewerCount")
    private int httpFlvViewerCount;

    @JsonProperty("hlsViewerCount")
    private int hlsViewerCount;

    @JsonProperty("dashViewerCount")
    private int dashViewerCount;

    /** Node that takes the publisher (AMS misspells it {@code originAdress}; we do not). */
    @JsonProperty("originAddress")
    private String originAddress;

    /** Id of the node the stream is published on (its origin); null when not live. */
    @JsonProperty("originNode")
    private String originNode;

    /** Address of the publisher. */
    @JsonProperty("ipAddr")
    private String ipAddr;

    /** AMS subtrack role. */
    @JsonProperty("role")
    private String role;

    @JsonProperty("mainTrackStreamId")
    private String mainTrackStreamId;

    @JsonProperty("subTrackStreamIds")
    private List<String> subTrackStreamIds;

    /** Set by the store on every save; orders updates across the cluster. */
    @JsonProperty("version")
    private long version;

    public Broadcast() {}

    public Broadcast(String streamId) {
        this.streamId = streamId;
    }

    /** A deep copy: changing the copy, its list included, never changes this one. */
    public Broadcast copy() {
        Broadcast c = new Broadcast();
        c.streamId = streamId;
        c.name = name;
        c.description = description;
        c.status = status;
        c.type = type;
        c.publishType = publishType;
        c.publish = publish;
        c.date = date;
        c.startTime = startTime;
        c.duration = duration;
        c.updateTime = updateTime;
        c.zombi = zombi;
        c.videoCodec = videoCodec;
        c.audioCodec = audioCodec;
        c.width = width;
        c.height = height;
        c.bitrate = bitrate;
        c.fps = fps;
        c.rtmpViewerCount = rtmpViewerCount;
        c.httpFlvViewerCount = httpFlvViewerCount;
        c.hlsViewerCount = hlsViewerCount;
        c.dashViewerCount = dashViewerCount;
        c.originAddress = originAddress;
        c.originNode = originNode;
        c.ipAddr = ipAddr;
        c.role = role;
        c.mainTrackStreamId = mainTrackStreamId;
        c.subTrackStreamIds = subTrackStreamIds == null ? null : new ArrayList<>(subTrackStreamIds);
        c.version = version;
        return c;
    }

    public String getStreamId() {
        return streamId;
    }

    public void setStreamId(String streamId) {
        this.streamId = streamId;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public BroadcastStatus getStatus() {
        return status;
    }

    public void setStatus(BroadcastStatus status) {
        this.status = status;
    }

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public String getPublishType() {
        return publishType;
    }

    public void setPublishType(String publishType) {
        this.publishType = publishType;
    }

    public boolean isPublish() {
        return publish;
    }

    public void setPublish(boolean publish) {
        this.publish = publish;
    }

    public long getDate() {
        return date;
    }

    public void setDate(long date) {
        this.date = date;
    }

    public long getStartTime() {
        return startTime;
    }

    public void setStartTime(long startTime) {
        this.startTime = startTime;
    }

    public long getDuration() {
        return duration;
    }

    public void setDuration(long duration) {
        this.duration = duration;
    }

    public long getUpdateTime() {
        return updateTime;
    }

    public void setUpdateTime(long updateTime) {
        this.updateTime = updateTime;
    }

    public boolean isZombi() {
        return zombi;
    }

    public void setZombi(boolean zombi) {
        this.zombi = zombi;
    }

    public String getVideoCodec() {
        return videoCodec;
    }

    public void setVideoCodec(String videoCodec) {
        this.videoCodec = videoCodec;
    }

    public String getAudioCodec() {
        return audioCodec;
    }

    public void setAudioCodec(String audioCodec) {
        this.audioCodec = audioCodec;
    }

    public int getWidth() {
        return width;
    }

    public void setWidth(int width) {
        this.width = width;
    }

    public int getHeight() {
        return height;
    }

    public void setHeight(int height) {
        this.height = height;
    }

    public long getBitrate() {
        return bitrate;
    }

    public void setBitrate(long bitrate) {
        this.bitrate = bitrate;
    }

    public double getFps() {
        return fps;
    }

    public void setFps(double fps) {
        this.fps = fps;
    }

    public int getRtmpViewerCount() {
        return rtmpViewerCount;
    }

    public void setRtmpViewerCount(int rtmpViewerCount) {
        this.rtmpViewerCount = rtmpViewerCount;
    }

    public int getHttpFlvViewerCount() {
        return httpFlvViewerCount;
    }

    public void setHttpFlvViewerCount(int httpFlvViewerCount) {
        this.httpFlvViewerCount = httpFlvViewerCount;
    }

    public int getHlsViewerCount() {
        return hlsViewerCount;
    }

    public void setHlsViewerCount(int hlsViewerCount) {
        this.hlsViewerCount = hlsViewerCount;
    }

    public int getDashViewerCount() {
        return dashViewerCount;
    }

    public void setDashViewerCount(int dashViewerCount) {
        this.dashViewerCount = dashViewerCount;
    }

    public String getOriginAddress() {
        return originAddress;
    }

    public void setOriginAddress(String originAddress) {
        this.originAddress = originAddress;
    }

    public String getOriginNode() {
        return originNode;
    }

    public void setOriginNode(String originNode) {
        this.originNode = originNode;
    }

    public String getIpAddr() {
        return ipAddr;
    }

    public void setIpAddr(String ipAddr) {
        this.ipAddr = ipAddr;
    }

    public String getRole() {
        return role;
    }

    public void setRole(String role) {
        this.role = role;
    }

    public String getMainTrackStreamId() {
        return mainTrackStreamId;
    }

    public void setMainTrackStreamId(String mainTrackStreamId) {
        this.mainTrackStreamId = mainTrackStreamId;
    }

    public List<String> getSubTrackStreamIds() {
        return subTrackStreamIds;
    }

    public void setSubTrackStreamIds(List<String> subTrackStreamIds) {
        this.subTrackStreamIds = subTrackStreamIds;
    }

    public long getVersion() {
        return version;
    }

    public void setVersion(long version) {
        this.version = version;
    }

    @Override
    public String toString() {
        return "Broadcast[" + streamId + ", " + status + ", version " + version + "]";
    }
}
