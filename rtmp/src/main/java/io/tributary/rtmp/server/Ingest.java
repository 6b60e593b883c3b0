package io.tributary.rtmp.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tributary.media.Frame;
import io.tributary.media.amf.Amf0;
import io.tributary.media.amf.AmfException;
import io.tributary.media.flv.FlvFormatException;
import io.tributary.media.flv.FlvFrames;
import io.tributary.media.stream.Publisher;
import io.tributary.rtmp.chunk.MessageType;
import io.tributary.rtmp.chunk.RtmpMessage;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns one publishing message stream's audio, video and data messages into frames for its publisher. */
final class Ingest {
    private static final Logger log = LoggerFactory.getLogger(Ingest.class);
    private static final long WRAP = 1L << 32;

    private final Publisher publisher;
    private long lastRaw = -1;
    private long wraps;
    private long malformed;

    Ingest(Publisher publisher) {
        this.publisher = publisher;
    }

    Publisher publisher() {
        return publisher;
    }

    /** Handles one media message; does not release it. */
    void accept(ByteBufAllocator alloc, RtmpMessage m) {
        if (!m.payload().isReadable()) {
            return; // some encoders send empty audio/video messages as keep-alives
        }
        long ts = extend(m.timestamp());
        try {
            switch (m.typeId()) {
                case MessageType.AUDIO -> publisher.send(FlvFrames.audio(ts, m.payload().retainedSlice()));
                case MessageType.VIDEO -> publisher.send(FlvFrames.video(ts, m.payload().retainedSlice()));
                case MessageType.DATA_AMF0, MessageType.DATA_AMF3 -> data(alloc, ts, m);
                default -> {
                }
            }
        } catch (FlvFormatException | AmfException e) {
            if (malformed++ == 0) {
                log.warn("dropping malformed {} message from the publisher of {}: {}",
                        MessageType.name(m.typeId()), publisher.stream().path(), e.getMessage());
            }
        }
    }

    /**
     * Metadata arrives as {@code @setDataFrame("onMetaData", {...})} (or a bare onMetaData); players must
     * get it as {@code onMetaData({...})}. Other script data (cue points, captions) passes through.
     */
    private void data(ByteBufAllocator alloc, long ts, RtmpMessage m) {
        ByteBuf body = m.payload().duplicate();
        if (m.typeId() == MessageType.DATA_AMF3) {
            body.skipBytes(1);
        }
        List<Object> values = Amf0.readAll(body.duplicate());
        if (values.isEmpty()) {
            return;
        }
        Object first = values.get(0);
        if ("@clearDataFrame".equals(first)) {
            return;
        }
        List<Object> payload = "@setDataFrame".equals(first) ? values.subList(1, values.size()) : values;
        if (!payload.isEmpty() && "onMetaData".equals(payload.get(0))) {
            ByteBuf out = alloc.buffer(256);
            Amf0.writeAll(out, payload.toArray());
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = payload.size() > 1 && payload.get(1) instanceof Map<?, ?> map
                    ? (Map<String, Object>) map : Map.of();
            publisher.metadata(FlvFrames.data(ts, out), fields);
            return;
        }
        Frame frame = FlvFrames.data(ts, m.typeId() == MessageType.DATA_AMF0 ? m.payload().retainedSlice()
                : body.retainedSlice());
        publisher.send(frame);
    }

    /** RTMP timestamps are 32-bit and wrap after 49.7 days; the stream timeline must not. */
    private long extend(long raw) {
        if (lastRaw >= 0 && raw < lastRaw && lastRaw - raw > WRAP / 2) {
            wraps++;
        }
        lastRaw = raw;
        return raw + wraps * WRAP;
    }
}
