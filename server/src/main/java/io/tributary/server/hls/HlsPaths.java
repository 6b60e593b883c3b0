package io.tributary.server.hls;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.tributary.cluster.broadcast.StreamIds;
import io.tributary.media.StreamPath;
import io.tributary.server.http.Router;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HLS and DASH URLs of a stream, all under {@code /{app}/streams/}: the playlist
 * {@code {id}.m3u8} (Ant Media Server's path), and under {@code {id}/} the DASH manifest
 * {@code manifest.mpd}, segments {@code {n}.ts} / {@code {n}.m4s}, parts {@code {n}.{p}.m4s},
 * initialization segments {@code init{n}.mp4}, and DASH's per-track segments {@code v{n}.m4s} /
 * {@code a{n}.m4s} and {@code vinit{n}.mp4} / {@code ainit{n}.mp4}. Names are parsed, never used as file
 * paths.
 */
record HlsPaths(Kind kind, StreamPath stream, long sequence, int part, boolean video) {

    enum Kind { PLAYLIST, MANIFEST, SEGMENT_TS, SEGMENT_MP4, PART, INIT, TRACK_SEGMENT, TRACK_INIT }

    private static final Pattern SEGMENT = Pattern.compile("(\\d{1,18})\\.(ts|m4s)");
    private static final Pattern PART = Pattern.compile("(\\d{1,18})\\.(\\d{1,4})\\.m4s");
    private static final Pattern INIT = Pattern.compile("init(\\d{1,18})\\.mp4");
    /** DASH: one track alone, {@code v{n}.m4s} / {@code a{n}.m4s} and {@code vinit{n}.mp4} / {@code ainit{n}.mp4}. */
    private static final Pattern TRACK_SEGMENT = Pattern.compile("([va])(\\d{1,18})\\.m4s");
    private static final Pattern TRACK_INIT = Pattern.compile("([va])init(\\d{1,18})\\.mp4");

    /** Whether a path has the shape of an HLS or DASH URL (it may still name nothing). */
    static boolean matches(String rawPath) {
        String[] seg = Router.split(rawPath);
        return seg.length == 3 && seg[1].equals("streams") && seg[2].endsWith(".m3u8")
                || seg.length == 4 && seg[1].equals("streams");
    }

    /** The parsed URL, or null when it names no HLS or DASH resource (or an invalid stream id). */
    static HlsPaths parse(String rawPath) {
        String[] seg = Router.split(rawPath);
        if (!matches(rawPath)) {
            return null;
        }
        String app = QueryStringDecoder.decodeComponent(seg[0]);
        if (seg.length == 3) {
            String file = QueryStringDecoder.decodeComponent(seg[2]);
            return of(Kind.PLAYLIST, app, file.substring(0, file.length() - ".m3u8".length()), -1, -1);
        }
        String id = QueryStringDecoder.decodeComponent(seg[2]);
        String name = QueryStringDecoder.decodeComponent(seg[3]);
        if (name.equals("manifest.mpd")) {
            return of(Kind.MANIFEST, app, id, -1, -1);
        }
        Matcher m = SEGMENT.matcher(name);
        if (m.matches()) {
            return of(m.group(2).equals("ts") ? Kind.SEGMENT_TS : Kind.SEGMENT_MP4, app, id,
                    Long.parseLong(m.group(1)), -1);
        }
        m = PART.matcher(name);
        if (m.matches()) {
            return of(Kind.PART, app, id, Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)));
        }
        m = INIT.matcher(name);
        if (m.matches()) {
            return of(Kind.INIT, app, id, Long.parseLong(m.group(1)), -1);
        }
        m = TRACK_SEGMENT.matcher(name);
        if (m.matches()) {
            return of(Kind.TRACK_SEGMENT, app, id, Long.parseLong(m.group(2)), -1, m.group(1).equals("v"));
        }
        m = TRACK_INIT.matcher(name);
        if (m.matches()) {
            return of(Kind.TRACK_INIT, app, id, Long.parseLong(m.group(2)), -1, m.group(1).equals("v"));
        }
        return null;
    }

    /**
     * The playlist or manifest asked for, as a URL relative to it, with {@code session} ({@code name=value})
     * instead of the token: the player reloads that URL, and its token may have been good for one request only.
     * The other query parameters are kept.
     */
    static String withSession(QueryStringDecoder uri, String session) {
        String path = uri.rawPath();
        StringBuilder b = new StringBuilder(path.substring(path.lastIndexOf('/') + 1)).append('?');
        for (String pair : uri.rawQuery().split("&")) {
            String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
            if (!pair.isEmpty() && !name.equals("token") && !session.startsWith(name + "=")) {
                b.append(pair).append('&');
            }
        }
        return b.append(session).toString();
    }

    private static HlsPaths of(Kind kind, String app, String id, long sequence, int part) {
        return of(kind, app, id, sequence, part, false);
    }

    private static HlsPaths of(Kind kind, String app, String id, long sequence, int part, boolean video) {
        if (!StreamIds.isValid(id)) {
            return null;
        }
        return new HlsPaths(kind, new StreamPath(app, id), sequence, part, video);
    }
}
