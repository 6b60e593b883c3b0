package io.tributary.hls.fmp4;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.tributary.media.Frame;
import java.util.ArrayList;
import java.util.List;

/** What the fMP4 tests share: cutting a stream into fragments and muxing them to bytes. */
final class Fmp4Fixtures {
    static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);

    private Fmp4Fixtures() {
    }

    /** The frames of one fragment and where each track's last sample ends, as a segmenter would pass them. */
    record Slice(List<Frame> video, long videoEnd, List<Frame> audio, long audioEnd) {
    }

    /**
     * Cuts both tracks at the given decode times (ms): slice i holds the frames with dts in [bounds[i],
     * bounds[i+1]). A track's last frame in a slice ends where that track goes on after it; at the end of the
     * stream it lasts as long as the frame before it.
     */
    static List<Slice> cut(List<Frame> video, List<Frame> audio, List<Long> bounds) {
        List<Slice> slices = new ArrayList<>();
        for (int i = 0; i + 1 < bounds.size(); i++) {
            long from = bounds.get(i);
            long to = bounds.get(i + 1);
            List<Frame> v = between(video, from, to);
            List<Frame> a = between(audio, from, to);
            slices.add(new Slice(v, endOf(video, v), a, endOf(audio, a)));
        }
        return slices;
    }

    /** Bounds every {@code ms} from zero, the last one past the end of the longer track. */
    static List<Long> every(long ms, List<Frame> video, List<Frame> audio) {
        long last = Math.max(video.isEmpty() ? 0 : video.get(video.size() - 1).dts(),
                audio.isEmpty() ? 0 : audio.get(audio.size() - 1).dts());
        List<Long> cuts = new ArrayList<>();
        for (long t = 0; t <= last; t += ms) {
            cuts.add(t);
        }
        cuts.add(Long.MAX_VALUE);
        return cuts;
    }

    private static List<Frame> between(List<Frame> frames, long from, long to) {
        return frames.stream().filter(f -> f.dts() >= from && f.dts() < to).toList();
    }

    private static long endOf(List<Frame> track, List<Frame> slice) {
        if (slice.isEmpty()) {
            return 0;
        }
        int last = track.indexOf(slice.get(slice.size() - 1));
        if (last + 1 < track.size()) {
            return track.get(last + 1).dts();
        }
        return track.get(last).dts() + (track.get(last).dts() - track.get(last - 1).dts());
    }

    /** Muxes each slice as one fragment, numbering them from {@code firstSequence}; returns each fragment's bytes. */
    static List<byte[]> mux(Fmp4Muxer muxer, List<Slice> slices, long firstSequence) {
        List<byte[]> fragments = new ArrayList<>();
        long sequence = firstSequence;
        for (Slice s : slices) {
            if (s.video().isEmpty() && s.audio().isEmpty()) {
                continue;
            }
            fragments.add(bytes(muxer.fragment(ALLOC, sequence++, s.video(), s.videoEnd(), s.audio(), s.audioEnd())));
        }
        return fragments;
    }

    static byte[] init(Fmp4Muxer muxer) {
        return bytes(muxer.initSegment(ALLOC));
    }

    /** Copies out and releases. */
    static byte[] bytes(ByteBuf buf) {
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    static byte[] concat(byte[] first, List<byte[]> rest) {
        int size = first.length + rest.stream().mapToInt(b -> b.length).sum();
        byte[] all = new byte[size];
        System.arraycopy(first, 0, all, 0, first.length);
        int at = first.length;
        for (byte[] b : rest) {
            System.arraycopy(b, 0, all, at, b.length);
            at += b.length;
        }
        return all;
    }
}
