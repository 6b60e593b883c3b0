package io.tributary.hls.fmp4;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.tributary.media.Frame;
import java.util.List;

/**
 * One movie fragment: a {@code moof} describing the samples and the {@code mdat} holding them, the runs'
 * samples one after another in the order of the runs.
 *
 * <pre>
 * moof
 *   mfhd                 sequence number
 *   traf (per run)
 *     tfhd               track, default-base-is-moof (+ default sample flags for audio)
 *     tfdt  (version 1)  base media decode time
 *     trun  (version 1)  data offset; per sample: duration, size (+ flags, composition offset for video)
 * mdat
 * </pre>
 *
 * <p>The sample bytes are not copied: the returned buffer is the moof and mdat header followed by retained
 * slices of the frames' data, so it holds a reference to every frame it carries until it is released.
 */
final class FragmentWriter {
    /** sample_depends_on = 2 (an I picture, or any audio frame), a sync sample. */
    static final int SYNC_SAMPLE = 0x0200_0000;
    /** sample_depends_on = 1, sample_is_non_sync_sample = 1. */
    static final int NON_SYNC_SAMPLE = 0x0101_0000;

    private static final int TFHD_DEFAULT_SAMPLE_FLAGS = 0x00_0020;
    private static final int TFHD_DEFAULT_BASE_IS_MOOF = 0x02_0000;
    private static final int TRUN_DATA_OFFSET = 0x00_0001;
    private static final int TRUN_DURATION = 0x00_0100;
    private static final int TRUN_SIZE = 0x00_0200;
    private static final int TRUN_FLAGS = 0x00_0400;
    private static final int TRUN_COMPOSITION_OFFSET = 0x00_0800;
    private static final int BOX_HEADER = 8;

    private FragmentWriter() {
    }

    static ByteBuf write(ByteBufAllocator alloc, long sequenceNumber, List<TrackRun> runs) {
        long dataSize = 0;
        int samples = 0;
        for (TrackRun run : runs) {
            dataSize += run.dataSize();
            samples += run.sampleCount();
        }
        if (dataSize + BOX_HEADER > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a fragment of " + dataSize + " sample bytes is too large");
        }
        ByteBuf header = alloc.buffer(64 + runs.size() * 64 + samples * 16);
        CompositeByteBuf fragment = alloc.compositeBuffer(1 + samples);
        try {
            int[] dataOffsetFields = writeMoof(new BoxWriter(header), sequenceNumber, runs);
            int moofSize = header.writerIndex();
            long offset = moofSize + BOX_HEADER;
            for (int i = 0; i < runs.size(); i++) {
                header.setInt(dataOffsetFields[i], (int) offset);
                offset += runs.get(i).dataSize();
            }
            header.writeInt((int) (dataSize + BOX_HEADER)).writeInt(BoxWriter.fourCc("mdat"));
            fragment.addComponent(true, header);
            header = null;
            for (TrackRun run : runs) {
                for (Frame frame : run.frames()) {
                    fragment.addComponent(true, frame.data().retainedSlice());
                }
            }
            return fragment;
        } catch (RuntimeException e) {
            if (header != null) {
                header.release();
            }
            fragment.release();
            throw e;
        }
    }

    /** Writes the moof; returns where each run's data_offset field is, to be filled in once the size is known. */
    private static int[] writeMoof(BoxWriter w, long sequenceNumber, List<TrackRun> runs) {
        int[] dataOffsetFields = new int[runs.size()];
        w.open("moof");
        w.openFull("mfhd", 0, 0).u32((int) sequenceNumber).close();
        for (int i = 0; i < runs.size(); i++) {
            dataOffsetFields[i] = traf(w, runs.get(i));
        }
        w.close();
        return dataOffsetFields;
    }

    private static int traf(BoxWriter w, TrackRun run) {
        boolean video = run.compositionOffsets() != null;
        w.open("traf");
        if (video) {
            w.openFull("tfhd", 0, TFHD_DEFAULT_BASE_IS_MOOF).u32(run.trackId()).close();
        } else {
            w.openFull("tfhd", 0, TFHD_DEFAULT_BASE_IS_MOOF | TFHD_DEFAULT_SAMPLE_FLAGS)
                    .u32(run.trackId()).u32(SYNC_SAMPLE).close();
        }
        w.openFull("tfdt", 1, 0).u64(run.baseDecodeTime()).close();
        int flags = TRUN_DATA_OFFSET | TRUN_DURATION | TRUN_SIZE
                | (video ? TRUN_FLAGS | TRUN_COMPOSITION_OFFSET : 0);
        w.openFull("trun", 1, flags).u32(run.sampleCount());
        int dataOffsetField = w.position();
        w.u32(0);
        List<Frame> frames = run.frames();
        for (int i = 0; i < frames.size(); i++) {
            Frame frame = frames.get(i);
            w.u32(run.durations()[i]).u32(frame.data().readableBytes());
            if (video) {
                w.u32(frame.isKeyframe() ? SYNC_SAMPLE : NON_SYNC_SAMPLE).u32(run.compositionOffsets()[i]);
            }
        }
        w.close();
        w.close();
        return dataOffsetField;
    }
}
