package io.tributary.rtmp.command;

import io.tributary.media.amf.AmfObject;

/** The info objects of onStatus and _result/_error replies, with the codes Flash, ffmpeg and OBS expect. */
public final class Status {
    public static final String CONNECT_SUCCESS = "NetConnection.Connect.Success";
    public static final String CONNECT_REJECTED = "NetConnection.Connect.Rejected";
    public static final String CONNECT_APP_SHUTDOWN = "NetConnection.Connect.AppShutdown";
    public static final String CALL_FAILED = "NetConnection.Call.Failed";
    public static final String PUBLISH_START = "NetStream.Publish.Start";
    public static final String PUBLISH_BAD_NAME = "NetStream.Publish.BadName";
    public static final String PUBLISH_UNAUTHORIZED = "NetStream.Publish.Unauthorized";
    public static final String UNPUBLISH_SUCCESS = "NetStream.Unpublish.Success";
    public static final String PLAY_RESET = "NetStream.Play.Reset";
    public static final String PLAY_START = "NetStream.Play.Start";
    public static final String PLAY_STOP = "NetStream.Play.Stop";
    public static final String PLAY_FAILED = "NetStream.Play.Failed";
    public static final String PLAY_STREAM_NOT_FOUND = "NetStream.Play.StreamNotFound";
    public static final String PLAY_PUBLISH_NOTIFY = "NetStream.Play.PublishNotify";
    public static final String PLAY_UNPUBLISH_NOTIFY = "NetStream.Play.UnpublishNotify";
    public static final String STREAM_FAILED = "NetStream.Failed";

    private Status() {
    }

    public static AmfObject status(String code, String description) {
        return AmfObject.of("level", "status", "code", code, "description", description);
    }

    public static AmfObject error(String code, String description) {
        return AmfObject.of("level", "error", "code", code, "description", description);
    }

    /** The level ("status", "warning", "error") and code of an info object received from a peer. */
    public static String code(Object info) {
        return info instanceof AmfObject o ? o.string("code") : null;
    }

    public static boolean isError(Object info) {
        return info instanceof AmfObject o && "error".equals(o.string("level"));
    }
}
