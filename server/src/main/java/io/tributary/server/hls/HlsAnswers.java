package io.tributary.server.hls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tributary.hls.HlsMode;
import io.tributary.hls.HlsStream;
import io.tributary.hls.InitSegments;
import io.tributary.hls.Part;
import io.tributary.hls.PlaylistView;
import io.tributary.hls.Segment;
import io.tributary.hls.playlist.DashManifest;
import io.tributary.hls.playlist.MediaPlaylist;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What a running muxer answers: playlists (with LL-HLS blocking reloads), DASH manifests, segments,
 * initialization segments and parts (the hinted one waited for). {@link HlsService} finds the muxer and
 * checks access; this class only reads the muxer's view and writes through {@link HlsReply}.
 */
final class HlsAnswers {
    private static final String M3U8 = "application/vnd.apple.mpegurl";

    /** The target duration to wait by before the first segment sets one. */
    private final int targetGuessSeconds;
    private final LongSupplier wallClock;

    HlsAnswers(Duration segmentDuration, LongSupplier wallClock) {
        this.targetGuessSeconds = (int) Math.ceil(segmentDuration.toMillis() / 1000.0);
        this.wallClock = wallClock;
    }

    void playlist(HlsReply reply, HlsStream muxer, Map<String, String> params, String uriQuery) {
        muxer.touch();
        Duration wait;
        java.util.function.Predicate<PlaylistView> ready;
        PlaylistView now = muxer.view();
        if (muxer.settings().mode() == HlsMode.LLHLS && params.containsKey("_HLS_msn")) {
            long msn;
            int part;
            try {
                msn = nonNegative(params.get("_HLS_msn"), "_HLS_msn");
                part = params.containsKey("_HLS_part") ? (int) nonNegative(params.get("_HLS_part"), "_HLS_part") : -1;
            } catch (IllegalArgumentException bad) {
                reply.text(HttpResponseStatus.BAD_REQUEST, bad.getMessage());
                return;
            }
            if (msn > now.nextSequence() + 2) {
                reply.text(HttpResponseStatus.BAD_REQUEST, "_HLS_msn=" + msn + " is more than two segments past "
                        + "the live edge (the segment being made is " + now.nextSequence() + ").");
                return;
            }
            ready = v -> v.ready() && v.has(msn, part);
            wait = Duration.ofSeconds(3L * Math.max(1, now.targetDuration() == 0 ? targetGuessSeconds : now.targetDuration()));
        } else if (params.containsKey("_HLS_part")) {
            reply.text(HttpResponseStatus.BAD_REQUEST, "_HLS_part needs _HLS_msn.");
            return;
        } else {
            ready = PlaylistView::ready;
            wait = muxer.settings().maxSegmentDuration().plusSeconds(5);
        }
        muxer.await(ready, wait).whenCompleteAsync((v, error) -> {
            if (error != null) {
                reply.timedOut(error, "the asked media");
            } else {
                reply.bytes(HttpResponseStatus.OK, M3U8, "no-cache",
                        Unpooled.wrappedBuffer(MediaPlaylist.render(v, muxer.path().streamId(), uriQuery)
                                .getBytes(StandardCharsets.UTF_8)));
            }
        }, reply.executor());
    }

    void manifest(HlsReply reply, HlsStream muxer, String uriQuery) {
        muxer.touch();
        if (!muxer.settings().mode().fragmentedMp4()) {
            reply.text(HttpResponseStatus.NOT_FOUND, "DASH is served from fMP4 segments: this application's "
                    + "hls.mode is ts; set it to fmp4 or llhls.");
            return;
        }
        muxer.wantDash();
        // DASH starts with the first segment written track by track: up to two segments from now.
        muxer.await(PlaylistView::dashReady, muxer.settings().maxSegmentDuration().multipliedBy(2).plusSeconds(5))
                .whenCompleteAsync((v, error) -> {
                    if (error != null) {
                        reply.timedOut(error, "the first DASH segment");
                    } else {
                        reply.bytes(HttpResponseStatus.OK, "application/dash+xml", "no-cache",
                                Unpooled.wrappedBuffer(DashManifest.render(v, wallClock.getAsLong(), bitRate(v), uriQuery)
                                        .getBytes(StandardCharsets.UTF_8)));
                    }
                }, reply.executor());
    }

    void media(HlsReply reply, HlsStream muxer, HlsPaths target) {
        PlaylistView v = muxer.view();
        HlsMode mode = v.mode();
        switch (target.kind()) {
            case SEGMENT_TS, SEGMENT_MP4 -> {
                Segment s = (target.kind() == HlsPaths.Kind.SEGMENT_TS) == (mode == HlsMode.TS)
                        ? v.segment(target.sequence()) : null;
                if (s == null) {
                    reply.text(HttpResponseStatus.NOT_FOUND, "No segment " + target.sequence() + " of "
                            + target.stream() + " (the window holds " + window(v) + ").");
                } else {
                    reply.bytes(HttpResponseStatus.OK, mode == HlsMode.TS ? "video/mp2t" : "video/iso.segment",
                            "max-age=3600", s.content());
                }
            }
            case TRACK_SEGMENT -> {
                Segment s = v.segment(target.sequence());
                ByteBuf track = s == null ? null : s.track(target.video());
                if (track == null) {
                    reply.text(HttpResponseStatus.NOT_FOUND, "No DASH " + (target.video() ? "video" : "audio")
                            + " segment " + target.sequence() + " of " + target.stream() + ".");
                } else {
                    reply.bytes(HttpResponseStatus.OK, "video/iso.segment", "max-age=3600", track);
                }
            }
            case TRACK_INIT -> {
                InitSegments inits = v.initSegments().get(target.sequence());
                byte[] init = inits == null ? null : target.video() ? inits.video() : inits.audio();
                if (init == null) {
                    reply.text(HttpResponseStatus.NOT_FOUND, "No DASH initialization segment "
                            + (target.video() ? "v" : "a") + "init" + target.sequence() + " of " + target.stream() + ".");
                } else {
                    reply.bytes(HttpResponseStatus.OK, target.video() ? "video/mp4" : "audio/mp4", "max-age=3600",
                            Unpooled.wrappedBuffer(init));
                }
            }
            case INIT -> {
                InitSegments inits = v.initSegments().get(target.sequence());
                byte[] init = inits == null ? null : inits.muxed();
                if (init == null) {
                    reply.text(HttpResponseStatus.NOT_FOUND, "No initialization segment " + target.sequence()
                            + " of " + target.stream() + ".");
                } else {
                    reply.bytes(HttpResponseStatus.OK, "video/mp4", "max-age=3600", Unpooled.wrappedBuffer(init));
                }
            }
            case PART -> part(reply, muxer, v, target);
            default -> reply.text(HttpResponseStatus.NOT_FOUND, "Not a media file.");
        }
    }

    /** A part; the one the playlist hints at next is waited for (LL-HLS preload hint). */
    private void part(HlsReply reply, HlsStream muxer, PlaylistView v, HlsPaths target) {
        long seq = target.sequence();
        int index = target.part();
        Part p = v.part(seq, index);
        if (p != null) {
            reply.bytes(HttpResponseStatus.OK, "video/iso.segment", "max-age=3600", Unpooled.wrappedBuffer(p.data()));
            return;
        }
        boolean hinted = v.mode() == HlsMode.LLHLS && !v.ended()
                && (seq == v.nextSequence() && index == v.pendingParts().size() || seq == v.nextSequence() + 1 && index == 0);
        if (!hinted) {
            reply.text(HttpResponseStatus.NOT_FOUND, "No part " + seq + "." + index + " of " + target.stream() + ".");
            return;
        }
        Duration wait = Duration.ofMillis(Math.max(3 * v.partTargetMillis(), 1000)
                + 1000L * Math.max(1, v.targetDuration()));
        muxer.await(x -> x.part(seq, index) != null || x.nextSequence() > seq, wait)
                .whenCompleteAsync((x, error) -> {
                    Part got = x == null ? null : x.part(seq, index);
                    if (got == null) {
                        reply.text(error != null ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.NOT_FOUND,
                                "Part " + seq + "." + index + " of " + target.stream() + " did not come.");
                    } else {
                        reply.bytes(HttpResponseStatus.OK, "video/iso.segment", "max-age=3600",
                                Unpooled.wrappedBuffer(got.data()));
                    }
                }, reply.executor());
    }

    private static long bitRate(PlaylistView v) {
        long bytes = 0;
        long ms = 0;
        for (Segment s : v.segments()) {
            bytes += s.size();
            ms += s.durationMillis();
        }
        return ms == 0 ? 0 : bytes * 8000 / ms;
    }

    private static String window(PlaylistView v) {
        if (v.segments().isEmpty()) {
            return "no segments yet";
        }
        return "segments " + v.segments().get(0).sequence() + " to " + v.segments().get(v.segments().size() - 1)
                .sequence();
    }

    private static long nonNegative(String text, String name) {
        try {
            long n = Long.parseLong(text);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below says what is expected
        }
        throw new IllegalArgumentException(name + " must be a whole number of at least 0, not '" + text + "'.");
    }
}
