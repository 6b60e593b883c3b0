package io.tributary.hls.playlist;

import io.tributary.hls.HlsMode;
import io.tributary.hls.Part;
import io.tributary.hls.PlaylistView;
import io.tributary.hls.Segment;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Writes a live media playlist (RFC 8216, and its Low-Latency extension) for a {@link PlaylistView}.
 * URIs are relative to the playlist at {@code /{app}/streams/{id}.m3u8}: segments live under
 * {@code {id}/}, so every file of a stream shares the path prefix a load balancer hashes on.
 */
public final class MediaPlaylist {
    /** Parts are listed for the segments that end within this many target durations of the live edge. */
    private static final int PART_SEGMENTS_TD = 3;

    private MediaPlaylist() {
    }

    /** The segment URI (relative to the playlist). */
    public static String segmentUri(String id, HlsMode mode, long sequence) {
        return id + "/" + sequence + (mode == HlsMode.TS ? ".ts" : ".m4s");
    }

    public static String partUri(String id, long sequence, int index) {
        return id + "/" + sequence + "." + index + ".m4s";
    }

    public static String initUri(String id, long generation) {
        return id + "/init" + generation + ".mp4";
    }

    /** The playlist text for stream {@code id}. */
    public static String render(PlaylistView v, String id) {
        return render(v, id, null);
    }

    /**
     * The playlist text for stream {@code id}, every URI in it (segments, parts, initialization segments,
     * the preload hint) carrying {@code query} ({@code name=value}, already encoded), or none when null.
     */
    public static String render(PlaylistView v, String id, String query) {
        String q = query == null || query.isEmpty() ? "" : "?" + query;
        StringBuilder b = new StringBuilder(256 + v.segments().size() * 160);
        boolean ll = v.mode() == HlsMode.LLHLS;
        b.append("#EXTM3U\n");
        b.append("#EXT-X-VERSION:").append(v.mode() == HlsMode.TS ? 3 : ll ? 9 : 7).append('\n');
        b.append("#EXT-X-TARGETDURATION:").append(Math.max(1, v.targetDuration())).append('\n');
        if (ll) {
            double part = v.partTargetMillis() / 1000.0;
            b.append("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=").append(decimal(part * 3))
                    .append('\n');
            b.append("#EXT-X-PART-INF:PART-TARGET=").append(decimal(part)).append('\n');
        }
        b.append("#EXT-X-MEDIA-SEQUENCE:").append(v.mediaSequence()).append('\n');
        long dsn = firstDiscontinuitySequence(v);
        if (dsn > 0) {
            b.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(dsn).append('\n');
        }
        long generation = -1;
        long partsFrom = partsFromDts(v);
        for (Segment s : v.segments()) {
            if (s.discontinuity()) {
                b.append("#EXT-X-DISCONTINUITY\n");
            }
            if (v.mode().fragmentedMp4() && s.initGeneration() != generation) {
                generation = s.initGeneration();
                b.append("#EXT-X-MAP:URI=\"").append(initUri(id, generation)).append(q).append("\"\n");
            }
            b.append("#EXT-X-PROGRAM-DATE-TIME:").append(dateTime(s.programDateTime())).append('\n');
            if (ll && s.startDts() + s.durationMillis() >= partsFrom) {
                for (Part p : s.parts()) {
                    part(b, id, s.sequence(), p, q);
                }
            }
            b.append("#EXTINF:").append(decimal(s.durationMillis() / 1000.0)).append(",\n");
            b.append(segmentUri(id, v.mode(), s.sequence())).append(q).append('\n');
        }
        if (v.ended()) {
            b.append("#EXT-X-ENDLIST\n");
        } else if (ll) {
            if (v.pendingDiscontinuity() && !v.pendingParts().isEmpty()) {
                b.append("#EXT-X-DISCONTINUITY\n");
            }
            if (v.initGeneration() != generation && v.initGeneration() >= 0) {
                b.append("#EXT-X-MAP:URI=\"").append(initUri(id, v.initGeneration())).append(q).append("\"\n");
            }
            for (Part p : v.pendingParts()) {
                part(b, id, v.nextSequence(), p, q);
            }
            b.append("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"")
                    .append(partUri(id, v.nextSequence(), v.pendingParts().size())).append(q).append("\"\n");
        }
        return b.toString();
    }

    private static void part(StringBuilder b, String id, long sequence, Part p, String q) {
        b.append("#EXT-X-PART:DURATION=").append(decimal(p.durationMillis() / 1000.0))
                .append(",URI=\"").append(partUri(id, sequence, p.index())).append(q).append('"');
        if (p.independent()) {
            b.append(",INDEPENDENT=YES");
        }
        b.append('\n');
    }

    /** EXT-X-DISCONTINUITY-SEQUENCE: the first segment's number, less its own tag (which the client counts). */
    static long firstDiscontinuitySequence(PlaylistView v) {
        if (v.segments().isEmpty()) {
            return 0;
        }
        Segment first = v.segments().get(0);
        return first.discontinuitySequence() - (first.discontinuity() ? 1 : 0);
    }

    /** Parts are listed for segments that end after this time on the stream's timeline. */
    private static long partsFromDts(PlaylistView v) {
        if (v.segments().isEmpty()) {
            return Long.MIN_VALUE;
        }
        Segment last = v.segments().get(v.segments().size() - 1);
        return last.startDts() + last.durationMillis() - PART_SEGMENTS_TD * 1000L * Math.max(1, v.targetDuration());
    }

    static String dateTime(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.MILLIS).toString();
    }

    static String decimal(double seconds) {
        return String.format(Locale.ROOT, "%.3f", seconds);
    }
}
