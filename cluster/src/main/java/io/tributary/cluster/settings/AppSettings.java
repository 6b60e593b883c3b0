package io.tributary.cluster.settings;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Settings of one application that live in the cluster store, so that a change made on one node
 * applies on every node. A null field means "not set here": the node's own configuration applies.
 *
 * @param acceptUndefinedStreams whether a publish for a stream id with no broadcast record creates one
 * @param hlsMode the application's HLS format: ts, fmp4 or llhls
 * @param hlsAlwaysOn whether its streams are muxed into HLS from their start, asked for or not
 * @param access who may publish and play its streams (tokens, publisher addresses, webhooks); null: open
 * @param version incremented by the store on every change
 * @param updateTime wall-clock ms of the last change (informational)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AppSettings(@JsonProperty("acceptUndefinedStreams") Boolean acceptUndefinedStreams,
                         @JsonProperty("hlsMode") String hlsMode,
                         @JsonProperty("hlsAlwaysOn") Boolean hlsAlwaysOn,
                         @JsonProperty("access") StreamAccessSettings access,
                         @JsonProperty("version") long version,
                         @JsonProperty("updateTime") long updateTime) {

    public static final AppSettings NONE = new AppSettings(null, 0, 0);

    /** Settings that only say whether undefined streams are accepted. */
    public AppSettings(Boolean acceptUndefinedStreams, long version, long updateTime) {
        this(acceptUndefinedStreams, null, null, version, updateTime);
    }

    /** Settings without access control. */
    public AppSettings(Boolean acceptUndefinedStreams, String hlsMode, Boolean hlsAlwaysOn, long version,
                       long updateTime) {
        this(acceptUndefinedStreams, hlsMode, hlsAlwaysOn, null, version, updateTime);
    }

    public AppSettings withVersion(long newVersion) {
        return new AppSettings(acceptUndefinedStreams, hlsMode, hlsAlwaysOn, access, newVersion, updateTime);
    }

    /** The access settings, {@link StreamAccessSettings#NONE} when none are stored. */
    public StreamAccessSettings accessOrNone() {
        return access != null ? access : StreamAccessSettings.NONE;
    }
}
