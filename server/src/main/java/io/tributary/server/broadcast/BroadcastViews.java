package io.tributary.server.broadcast;

import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.broadcast.BroadcastStatus;
import io.tributary.media.stream.LiveStream;
import io.tributary.media.stream.Publisher;
import io.tributary.media.stream.StreamInfo;

/** What the REST API shows for a broadcast: its stored record, brought up to date from the live stream. */
final class BroadcastViews {

    private BroadcastViews() {
    }

    /**
     * A copy of the record with live status, codecs, bitrate and duration from the stream published here
     * (if it is), and viewer counts for the whole cluster: this node's, plus what other nodes reported.
     */
    static Broadcast live(Broadcast stored, LiveStream stream, long now, ViewerTotals elsewhere, String path) {
        Broadcast view = stored.copy();
        view.setRtmpViewerCount(elsewhere.remote(path, "rtmp") + (stream == null ? 0 : stream.viewers("rtmp")));
        view.setHttpFlvViewerCount(elsewhere.remote(path, "flv") + (stream == null ? 0 : stream.viewers("flv")));
        view.setHlsViewerCount(elsewhere.remote(path, "hls") + (stream == null ? 0 : stream.viewers("hls")));
        view.setDashViewerCount(elsewhere.remote(path, "dash") + (stream == null ? 0 : stream.viewers("dash")));
        if (stream == null) {
            return view;
        }
        Publisher publisher = stream.publisher();
        if (publisher != null && !"relay".equals(publisher.protocol())) {
            view.setStatus(BroadcastStatus.BROADCASTING);
            if (view.getStartTime() == 0 || view.getStartTime() < publisher.startedAtMillis() - 1000) {
                view.setStartTime(publisher.startedAtMillis());
            }
            view.setDuration(Math.max(0, now - view.getStartTime()));
            view.setBitrate(publisher.bitrate());
            applyInfo(view, stream.info());
        }
        return view;
    }

    static void applyInfo(Broadcast b, StreamInfo info) {
        if (info.videoCodec() != null) {
            b.setVideoCodec(info.videoCodec().shortName());
        }
        if (info.audioCodec() != null) {
            b.setAudioCodec(info.audioCodec().shortName());
        }
        if (info.width() > 0) {
            b.setWidth(info.width());
            b.setHeight(info.height());
        }
        if (info.frameRate() > 0) {
            b.setFps(info.frameRate());
        }
    }
}
