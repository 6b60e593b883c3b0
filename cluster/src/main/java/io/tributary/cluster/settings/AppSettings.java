package io.tributary.cluster.settings;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Settings of one application that live in the cluster store, so that a change made on one node
 * applies on every node. A null field means "not set here": the node's own configuration applies.
 *
 * @param acceptUndefinedStreams whether a publish for a stream id with no broadcast record creates one
 * @param version incremented by the store on every change
 * @param updateTime wall-clock ms of the last change (informational)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AppSettings(@JsonProperty("acceptUndefinedStreams") Boolean acceptUndefinedStreams,
                         @JsonProperty("version") long version,
                         @JsonProperty("updateTime") long updateTime) {

    public static final AppSettings NONE = new AppSettings(null, 0, 0);

    public AppSettings withVersion(long newVersion) {
        return new AppSettings(acceptUndefinedStreams, newVersion, updateTime);
    }
}
