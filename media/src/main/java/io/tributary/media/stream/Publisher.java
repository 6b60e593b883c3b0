package io.tributary.media.stream;

import io.tributary.media.Frame;
import java.net.SocketAddress;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A publisher's hold on a live stream: the ingest side sends frames through it and closes it when the
 * encoder stops. The stream (or an operator, or shutdown) can also end the publish through
 * {@link #disconnect(String)}, which asks the protocol to close the encoder's connection.
 */
public final class Publisher {
    private final LiveStream stream;
    private final String protocol;
    private final SocketAddress remote;
    private final long startedAtMillis;
    private final Consumer<String> disconnector;
    private final java.time.Duration grace;
    private final RateMeter ingest = new RateMeter();
    private volatile boolean closed;

    Publisher(LiveStream stream, String protocol, SocketAddress remote, Consumer<String> disconnector,
              java.time.Duration grace) {
        this.stream = stream;
        this.grace = grace;
        this.protocol = protocol;
        this.remote = remote;
        this.disconnector = disconnector;
        this.startedAtMillis = System.currentTimeMillis();
    }

    /** Hands one frame (and the caller's reference to it) to the stream. */
    public void send(Frame frame) {
        if (closed) {
            frame.release();
            return;
        }
        ingest.add(frame.size(), System.currentTimeMillis());
        stream.traffic().received(frame.size());
        stream.accept(this, frame);
    }

    /** Replaces the stream's metadata (an onMetaData script body); {@code values} are its decoded fields. */
    public void metadata(Frame frame, Map<String, Object> values) {
        if (closed) {
            frame.release();
            return;
        }
        stream.acceptMetadata(this, frame, values);
    }

    /** The encoder stopped: the stream waits for a publisher during its grace, then ends. */
    public void close() {
        if (!closed) {
            closed = true;
            stream.detach(this);
        }
    }

    /** Ends this publish from the server side (operator action, shutdown); the protocol closes the encoder. */
    public void disconnect(String reason) {
        disconnector.accept(reason);
    }

    /**
     * Ends this publish as a refusal (the stream belongs to another node now): the protocol tells the
     * encoder as it would have told it at the start ({@link Disconnector#refuse}).
     */
    public void refuse(StreamException why) {
        if (disconnector instanceof Disconnector d) {
            d.refuse(why);
        } else {
            disconnector.accept(why.getMessage());
        }
    }

    public boolean isClosed() {
        return closed;
    }

    public LiveStream stream() {
        return stream;
    }

    public String protocol() {
        return protocol;
    }

    public SocketAddress remote() {
        return remote;
    }

    /** How long the stream's players wait for a publisher after this one leaves. */
    public java.time.Duration grace() {
        return grace;
    }

    public long startedAtMillis() {
        return startedAtMillis;
    }

    public long bitrate() {
        return ingest.bitsPerSecond(System.currentTimeMillis());
    }

    public long bytesReceived() {
        return ingest.total();
    }
}
