package io.tributary.rtmp.server;

import io.tributary.media.Frame;
import io.tributary.media.amf.AmfObject;
import io.tributary.rtmp.client.PlayListener;
import java.util.ArrayList;
import java.util.List;

/** Records what a player receives: a summary of every frame and every status code, in order. */
final class RecordingListener implements PlayListener {

    /** One received frame without its payload (except the first payload byte, the frame number). */
    record Received(Frame.Type type, boolean video, boolean audio, boolean key, long timestamp, int marker) {
    }

    private final List<Received> frames = new ArrayList<>();
    private final List<String> statuses = new ArrayList<>();
    private volatile boolean closed;

    @Override
    public synchronized void onFrame(Frame f) {
        int marker = f.isVideo() && f.type() == Frame.Type.CODED && f.data().readableBytes() > 4
                ? f.data().getUnsignedByte(f.data().readerIndex() + 4) : -1;
        frames.add(new Received(f.type(), f.isVideo(), f.isAudio(), f.isKeyframe(), f.dts(), marker));
    }

    @Override
    public synchronized void onStatus(String code, AmfObject info) {
        statuses.add(code);
    }

    @Override
    public void onClose() {
        closed = true;
    }

    synchronized List<Received> frames() {
        return List.copyOf(frames);
    }

    synchronized List<Received> videoFrames() {
        return frames.stream().filter(r -> r.video() && r.type() == Frame.Type.CODED).toList();
    }

    synchronized List<String> statuses() {
        return List.copyOf(statuses);
    }

    boolean closed() {
        return closed;
    }
}
