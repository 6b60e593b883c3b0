package io.tributary.hls.playlist;

import io.tributary.hls.PlaylistView;
import io.tributary.hls.Segment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a live DASH manifest (ISO/IEC 23009-1, live profile) over the segments HLS serves, cut at the
 * same keyframes but written track by track ({@code v{n}.m4s}, {@code a{n}.m4s}: DASH players want one
 * track per representation): an adaptation set per track, one Period per initialization segment
 * generation (a new encoder configuration starts a new Period), a SegmentTemplate with a SegmentTimeline
 * since keyframe-aligned segments vary in length, times in milliseconds on the stream's timeline from
 * {@code availabilityStartTime}. URIs are relative to the manifest at {@code /{app}/streams/{id}/manifest.mpd}.
 */
public final class DashManifest {

    private DashManifest() {
    }

    /**
     * @param now the wall clock (epoch ms) for publishTime and the direct UTCTiming value
     * @param bandwidthBps the stream's bit rate for the Representation
     */
    public static String render(PlaylistView v, long now, long bandwidthBps) {
        return render(v, now, bandwidthBps, null);
    }

    /**
     * As {@link #render(PlaylistView, long, long)}, every segment URI carrying {@code query} ({@code name=value},
     * already encoded, no XML special characters), or none when null. With a query the manifest also names
     * itself with that query in {@code Location}, where players that follow it (dash.js) refresh it.
     */
    public static String render(PlaylistView v, long now, long bandwidthBps, String query) {
        String q = query == null || query.isEmpty() ? "" : "?" + query;
        StringBuilder b = new StringBuilder(1024 + v.segments().size() * 40);
        long targetMs = Math.max(1, v.targetDuration()) * 1000L;
        List<Segment> segments = dashSegments(v);
        long maxSegment = segments.stream().mapToLong(Segment::durationMillis).max().orElse(targetMs);
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append("<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" profiles=\"urn:mpeg:dash:profile:isoff-live:2011\"");
        b.append(v.ended() ? " type=\"static\"" : " type=\"dynamic\"");
        b.append(" availabilityStartTime=\"").append(MediaPlaylist.dateTime(v.wallAtZero())).append('"');
        b.append(" publishTime=\"").append(MediaPlaylist.dateTime(now)).append('"');
        if (v.ended()) {
            long end = segments.isEmpty() ? 0 : last(segments).startDts() + last(segments).durationMillis();
            long start = segments.isEmpty() ? 0 : segments.get(0).startDts();
            b.append(" mediaPresentationDuration=\"").append(duration(end - start)).append('"');
        } else {
            b.append(" minimumUpdatePeriod=\"").append(duration(targetMs)).append('"');
            b.append(" timeShiftBufferDepth=\"").append(duration(v.windowMillis())).append('"');
            b.append(" suggestedPresentationDelay=\"").append(duration(3 * targetMs)).append('"');
        }
        b.append(" maxSegmentDuration=\"").append(duration(maxSegment)).append('"');
        b.append(" minBufferTime=\"").append(duration(targetMs)).append("\">\n");
        if (!q.isEmpty()) {
            b.append("  <Location>manifest.mpd").append(q).append("</Location>\n");
        }
        for (List<Segment> period : periods(v)) {
            Segment first = period.get(0);
            b.append("  <Period id=\"").append(first.initGeneration()).append('-').append(first.sequence())
                    .append("\" start=\"").append(duration(v.ended() ? first.startDts()
                            - dashSegments(v).get(0).startDts() : first.startDts())).append("\">\n");
            if (v.videoCodecs() != null) {
                adaptationSet(b, period, true, v, bandwidthBps, q);
            }
            if (v.audioCodecs() != null) {
                adaptationSet(b, period, false, v, bandwidthBps, q);
            }
            b.append("  </Period>\n");
        }
        b.append("  <UTCTiming schemeIdUri=\"urn:mpeg:dash:utc:direct:2014\" value=\"")
                .append(MediaPlaylist.dateTime(now)).append("\"/>\n");
        b.append("</MPD>\n");
        return b.toString();
    }

    /** One track's adaptation set: its own segments and initialization segment (v... or a... files). */
    private static void adaptationSet(StringBuilder b, List<Segment> period, boolean video, PlaylistView v,
                                      long bandwidthBps, String q) {
        Segment first = period.get(0);
        String prefix = video ? "v" : "a";
        b.append("    <AdaptationSet id=\"").append(video ? 0 : 1).append("\" contentType=\"")
                .append(video ? "video" : "audio").append("\" mimeType=\"").append(video ? "video" : "audio")
                .append("/mp4\" segmentAlignment=\"true\" startWithSAP=\"1\">\n");
        b.append("      <Representation id=\"").append(prefix).append("\" codecs=\"")
                .append(video ? v.videoCodecs() : v.audioCodecs()).append("\" bandwidth=\"")
                .append(Math.max(1, video ? bandwidthBps : Math.min(bandwidthBps, 128_000))).append('"');
        if (video && v.width() > 0) {
            b.append(" width=\"").append(v.width()).append("\" height=\"").append(v.height()).append('"');
        }
        b.append(">\n");
        b.append("        <SegmentTemplate timescale=\"1000\" presentationTimeOffset=\"").append(first.startDts())
                .append("\" initialization=\"").append(prefix).append("init").append(first.initGeneration())
                .append(".mp4").append(q).append("\" media=\"").append(prefix).append("$Number$.m4s").append(q)
                .append("\" startNumber=\"")
                .append(first.sequence()).append("\">\n");
        b.append("          <SegmentTimeline>\n");
        for (Segment s : period) {
            b.append("            <S t=\"").append(s.startDts()).append("\" d=\"").append(s.durationMillis())
                    .append("\"/>\n");
        }
        b.append("          </SegmentTimeline>\n");
        b.append("        </SegmentTemplate>\n");
        b.append("      </Representation>\n");
        b.append("    </AdaptationSet>\n");
    }

    /** The window's segments that were written track by track (DASH started with the first of them). */
    private static List<Segment> dashSegments(PlaylistView v) {
        return v.segments().stream().filter(Segment::hasTracks).toList();
    }

    private static Segment last(List<Segment> segments) {
        return segments.get(segments.size() - 1);
    }

    /** The DASH segments split where the initialization segment (or continuity) changes. */
    private static List<List<Segment>> periods(PlaylistView v) {
        List<List<Segment>> periods = new ArrayList<>();
        List<Segment> current = null;
        for (Segment s : dashSegments(v)) {
            if (current == null || s.discontinuity() || s.initGeneration() != current.get(0).initGeneration()) {
                current = new ArrayList<>();
                periods.add(current);
            }
            current.add(s);
        }
        return periods;
    }

    static String duration(long millis) {
        return Duration.ofMillis(Math.max(0, millis)).toString();
    }
}
