package io.tributary.hls.fmp4;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small ISO BMFF reader for checking what the muxer wrote, independent of it: every box must exactly
 * fill its parent (or the file), and fragments are read back into what a player would use.
 */
final class Mp4Reader {
    private static final Set<String> CONTAINERS =
            Set.of("moov", "trak", "mdia", "minf", "dinf", "stbl", "mvex", "moof", "traf");
    /** Boxes whose children follow some fields of their own: how many bytes of payload come first. */
    private static final Map<String, Integer> CHILDREN_AFTER = Map.of("stsd", 8, "dref", 8, "avc1", 78, "mp4a", 28);

    private Mp4Reader() {
    }

    /** One box of {@code file}. */
    record Box(String type, byte[] file, int start, int size) {
        int payload() {
            return start + 8;
        }

        int end() {
            return start + size;
        }

        /** The payload, big-endian, positioned at its first byte. */
        ByteBuffer data() {
            return ByteBuffer.wrap(file, payload(), size - 8).slice();
        }

        int version() {
            return file[payload()] & 0xFF;
        }

        int flags() {
            return data().getInt() & 0xFFFFFF;
        }

        List<Box> children() {
            Integer skip = CHILDREN_AFTER.get(type);
            if (skip == null && !CONTAINERS.contains(type)) {
                throw new AssertionError(type + " is not a container");
            }
            return boxes(file, payload() + (skip == null ? 0 : skip), end());
        }

        Box child(String childType) {
            List<Box> found = children().stream().filter(b -> b.type.equals(childType)).toList();
            if (found.size() != 1) {
                throw new AssertionError(type + " holds " + found.size() + " " + childType + " boxes, expected one");
            }
            return found.get(0);
        }

        /** Descends through single children: {@code path("mdia", "minf", "stbl")}. */
        Box path(String... types) {
            Box box = this;
            for (String t : types) {
                box = box.child(t);
            }
            return box;
        }

        List<Box> all(String childType) {
            return children().stream().filter(b -> b.type.equals(childType)).toList();
        }

        @Override
        public String toString() {
            return type + "@" + start + "+" + size;
        }
    }

    /** The boxes between {@code from} and {@code to}, which they must fill exactly. */
    static List<Box> boxes(byte[] file, int from, int to) {
        List<Box> boxes = new ArrayList<>();
        int at = from;
        while (at < to) {
            if (to - at < 8) {
                throw new AssertionError((to - at) + " stray bytes at " + at);
            }
            int size = ByteBuffer.wrap(file, at, 4).getInt();
            String type = new String(file, at + 4, 4, StandardCharsets.ISO_8859_1);
            if (size < 8 || size > to - at) {
                throw new AssertionError(type + " at " + at + " has size " + size + " but " + (to - at) + " bytes remain");
            }
            boxes.add(new Box(type, file, at, size));
            at += size;
        }
        return boxes;
    }

    static List<Box> boxes(byte[] file) {
        return boxes(file, 0, file.length);
    }

    static String fourCc(ByteBuffer data) {
        byte[] b = new byte[4];
        data.get(b);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    record Sample(long duration, int size, int flags, int compositionOffset) {
        boolean sync() {
            return (flags & 0x0001_0000) == 0;
        }

        int dependsOn() {
            return flags >>> 24 & 3;
        }
    }

    /**
     * One traf as a player resolves it.
     *
     * @param firstSampleAt where the first sample's bytes are in the file (moof start + data offset)
     */
    record Traf(int trackId, int tfhdFlags, long baseDecodeTime, int trunVersion, int firstSampleAt,
                List<Sample> samples) {
    }

    record Fragment(long sequenceNumber, Box moof, Box mdat, List<Traf> trafs) {
        Traf track(int id) {
            return trafs.stream().filter(t -> t.trackId == id).findFirst().orElse(null);
        }
    }

    /** Every moof + mdat pair after the init segment, in file order. */
    static List<Fragment> fragments(byte[] file) {
        List<Box> top = boxes(file);
        List<Fragment> fragments = new ArrayList<>();
        for (int i = 0; i < top.size(); i++) {
            if (!top.get(i).type.equals("moof")) {
                continue;
            }
            Box moof = top.get(i);
            if (i + 1 >= top.size() || !top.get(i + 1).type.equals("mdat")) {
                throw new AssertionError("moof at " + moof.start + " is not followed by an mdat");
            }
            ByteBuffer mfhd = moof.child("mfhd").data();
            mfhd.getInt();
            long sequence = Integer.toUnsignedLong(mfhd.getInt());
            List<Traf> trafs = moof.all("traf").stream().map(t -> traf(moof, t)).toList();
            fragments.add(new Fragment(sequence, moof, top.get(i + 1), trafs));
        }
        return fragments;
    }

    private static Traf traf(Box moof, Box traf) {
        Box tfhdBox = traf.child("tfhd");
        ByteBuffer tfhd = tfhdBox.data();
        int tfhdFlags = tfhd.getInt() & 0xFFFFFF;
        int trackId = tfhd.getInt();
        if ((tfhdFlags & 0x1) != 0) {
            throw new AssertionError("base-data-offset given; the reader expects default-base-is-moof");
        }
        if ((tfhdFlags & 0x2) != 0) {
            tfhd.getInt();
        }
        long defaultDuration = (tfhdFlags & 0x8) != 0 ? Integer.toUnsignedLong(tfhd.getInt()) : 0;
        int defaultSize = (tfhdFlags & 0x10) != 0 ? tfhd.getInt() : 0;
        int defaultFlags = (tfhdFlags & 0x20) != 0 ? tfhd.getInt() : 0;

        Box tfdtBox = traf.child("tfdt");
        ByteBuffer tfdt = tfdtBox.data();
        tfdt.getInt();
        long base = tfdtBox.version() == 1 ? tfdt.getLong() : Integer.toUnsignedLong(tfdt.getInt());

        Box trunBox = traf.child("trun");
        ByteBuffer trun = trunBox.data();
        int flags = trun.getInt() & 0xFFFFFF;
        int count = trun.getInt();
        int dataOffset = (flags & 0x1) != 0 ? trun.getInt() : 0;
        Integer firstSampleFlags = (flags & 0x4) != 0 ? trun.getInt() : null;
        List<Sample> samples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long duration = (flags & 0x100) != 0 ? Integer.toUnsignedLong(trun.getInt()) : defaultDuration;
            int size = (flags & 0x200) != 0 ? trun.getInt() : defaultSize;
            int sampleFlags = (flags & 0x400) != 0 ? trun.getInt()
                    : i == 0 && firstSampleFlags != null ? firstSampleFlags : defaultFlags;
            int cto = (flags & 0x800) != 0 ? trun.getInt() : 0;
            samples.add(new Sample(duration, size, sampleFlags, cto));
        }
        if (trun.hasRemaining()) {
            throw new AssertionError("trun has " + trun.remaining() + " bytes beyond its " + count + " samples");
        }
        return new Traf(trackId, tfhdFlags, base, trunBox.version(), moof.start() + dataOffset, samples);
    }
}
