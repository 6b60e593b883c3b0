package io.tributary.hls.playlist;

import io.tributary.hls.PlaylistView;
import io.tributary.hls.Segment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a live DASH manifest (ISO/IEC 23009-1, live profile) over the same fMP4 segments HLS serves:
 * one Period per initialization segment generation (a new encoder configuration starts a new Period), a
 * SegmentTemplate with a SegmentTimeline since keyframe-aligned segments vary in length, times in
 * milliseconds on the stream's timeline from {@code availabilityStartTime}. URIs are relative to the
 * manifest at {@code /{app}/streams/{id}/manifest.mpd}.
 */
public final class DashManifest {

    private DashManifest() {
    }

    /**
     * @param now the wall clock (epoch ms) for publishTime and the direct UTCTiming value
     * @param bandwidthBps the stream's bit rate for the Representation
     */
    public static String render(PlaylistView v, long now, long bandwidthBps) {
        StringBuilder b = new StringBuilder(1024 + v.segments().size() * 40);
        long targetMs = Math.max(1, v.targetDuration()) * 1000L;
        long maxSegment = v.segments().stream().mapToLong(Segment::durationMillis).max().orElse(targetMs);
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append("<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" profiles=\"urn:mpeg:dash:profile:isoff-live:2011\"");
        b.append(v.ended() ? " type=\"static\"" : " type=\"dynamic\"");
        b.append(" availabilityStartTime=\"").append(MediaPlaylist.dateTime(v.wallAtZero())).append('"');
        b.append(" publishTime=\"").append(MediaPlaylist.dateTime(now)).append('"');
        if (v.ended()) {
            long end = v.segments().isEmpty() ? 0 : last(v).startDts() + last(v).durationMillis();
            long start = v.segments().isEmpty() ? 0 : v.segments().get(0).startDts();
            b.append(" mediaPresentationDuration=\"").append(duration(end - start)).append('"');
        } else {
            b.append(" minimumUpdatePeriod=\"").append(duration(targetMs)).append('"');
            b.append(" timeShiftBufferDepth=\"").append(duration(v.windowMillis())).append('"');
            b.append(" suggestedPresentationDelay=\"").append(duration(3 * targetMs)).append('"');
        }
        b.append(" maxSegmentDuration=\"").append(duration(maxSegment)).append('"');
        b.append(" minBufferTime=\"").append(duration(targetMs)).append("\">\n");
        for (List<Segment> period : periods(v)) {
            Segment first = period.get(0);
            b.append("  <Period id=\"").append(first.initGeneration()).append('-').append(first.sequence())
                    .append("\" start=\"").append(duration(v.ended() ? first.startDts()
                            - v.segments().get(0).startDts() : first.startDts())).append("\">\n");
            b.append("    <AdaptationSet id=\"0\" mimeType=\"").append(v.width() > 0 ? "video" : "audio")
                    .append("/mp4\" segmentAlignment=\"true\" startWithSAP=\"1\">\n");
            b.append("      <Representation id=\"0\" bandwidth=\"").append(Math.max(1, bandwidthBps)).append('"');
            if (v.codecs() != null) {
                b.append(" codecs=\"").append(v.codecs()).append('"');
            }
            if (v.width() > 0) {
                b.append(" width=\"").append(v.width()).append("\" height=\"").append(v.height()).append('"');
            }
            b.append(">\n");
            b.append("        <SegmentTemplate timescale=\"1000\" presentationTimeOffset=\"")
                    .append(first.startDts()).append("\" initialization=\"init").append(first.initGeneration())
                    .append(".mp4\" media=\"$Number$.m4s\" startNumber=\"").append(first.sequence()).append("\">\n");
            b.append("          <SegmentTimeline>\n");
            for (Segment s : period) {
                b.append("            <S t=\"").append(s.startDts()).append("\" d=\"").append(s.durationMillis())
                        .append("\"/>\n");
            }
            b.append("          </SegmentTimeline>\n");
            b.append("        </SegmentTemplate>\n");
            b.append("      </Representation>\n");
            b.append("    </AdaptationSet>\n");
            b.append("  </Period>\n");
        }
        b.append("  <UTCTiming schemeIdUri=\"urn:mpeg:dash:utc:direct:2014\" value=\"")
                .append(MediaPlaylist.dateTime(now)).append("\"/>\n");
        b.append("</MPD>\n");
        return b.toString();
    }

    private static Segment last(PlaylistView v) {
        return v.segments().get(v.segments().size() - 1);
    }

    /** The window split where the initialization segment (or continuity) changes. */
    private static List<List<Segment>> periods(PlaylistView v) {
        List<List<Segment>> periods = new ArrayList<>();
        List<Segment> current = null;
        for (Segment s : v.segments()) {
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
