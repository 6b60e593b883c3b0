package io.tributary.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;

/**
 * Splits outgoing messages into chunks, keeping the per-chunk-stream header state that lets each
 * message use the smallest header. Not a handler: one per connection, shared by
 * {@link ChunkEncoder} and any hot path that writes chunks itself, and used from the channel's
 * event loop only, so that every message passes through it in the order it is written.
 */
public final class ChunkWriter {

    private static final int[] MESSAGE_HEADER_LENGTH = {11, 7, 3, 0};
    private static final long UINT32 = 0xFFFFFFFFL;
    /**
     * After a type 0 header peers disagree on the delta a type 3 header repeats (nginx-rtmp takes
     * 0, ffmpeg takes the absolute timestamp), so the next message always states its delta.
     */
    private static final long NO_DELTA = -1;

    private final ChunkStreamMap<OutStream> streams = new ChunkStreamMap<>();
    private int chunkSize = ChunkDecoder.DEFAULT_CHUNK_SIZE;

    /** A writer at the protocol's initial chunk size of 128. */
    public ChunkWriter() {
    }

    /**
     * Chunks every later message at {@code size}. The caller writes the Set Chunk Size message
     * itself (through {@link #write}) and then calls this.
     */
    public void setChunkSize(int size) {
        if (size < 1 || size > ChunkDecoder.MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunk size " + size + " is outside 1.." + ChunkDecoder.MAX_CHUNK_SIZE);
        }
        chunkSize = size;
    }

    public int chunkSize() {
        return chunkSize;
    }

    /**
     * Encodes one message into {@code out}: header buffers and retained slices of {@code payload}
     * (its readable bytes), without copying payload bytes. {@code payload} is not consumed; the
     * caller keeps its reference.
     *
     * @param timestamp absolute, in milliseconds; taken as an unsigned 32-bit value
     */
    public void write(ByteBufAllocator alloc, int csid, int typeId, int streamId, long timestamp, ByteBuf payload,
                      List<Object> out) {
        if (csid < 2 || csid > 65599) {
            throw new IllegalArgumentException("chunk stream id " + csid + " is outside 2..65599");
        }
        int length = payload.readableBytes();
        if (length > 0xFFFFFF) {
            throw new IllegalArgumentException("message of " + length
                    + " bytes is longer than a chunk header can declare");
        }
        timestamp &= UINT32;
        OutStream stream = stream(csid);
        int fmt;
        long field;
        if (!stream.started || streamId != stream.streamId || timestamp < stream.timestamp) {
            fmt = 0;
            field = timestamp;
        } else {
            field = timestamp - stream.timestamp;
            if (length != stream.length || typeId != stream.typeId) {
                fmt = 1;
            } else {
                fmt = field == stream.delta ? 3 : 2;
            }
        }
        boolean extended = field >= 0xFFFFFF;
        int basicLength = csid < 64 ? 1 : csid < 320 ? 2 : 3;
        int extendedLength = extended ? 4 : 0;
        int firstLength = basicLength + MESSAGE_HEADER_LENGTH[fmt] + extendedLength;
        int chunks = length <= chunkSize ? 1 : (length - 1) / chunkSize + 1;
        int continuationLength = chunks > 1 ? basicLength + extendedLength : 0;

        ByteBuf header = alloc.buffer(firstLength + continuationLength);
        writeBasicHeader(header, fmt, csid);
        int field24 = extended ? 0xFFFFFF : (int) field;
        if (fmt <= 2) {
            header.writeMedium(field24);
        }
        if (fmt <= 1) {
            header.writeMedium(length).writeByte(typeId);
        }
        if (fmt == 0) {
            header.writeIntLE(streamId);
        }
        if (extended) {
            header.writeInt((int) field);
        }
        if (chunks > 1) {
            // Every continuation chunk has the same type 3 header, written once and sliced.
            writeBasicHeader(header, 3, csid);
            if (extended) {
                header.writeInt((int) field);
            }
        }

        stream.started = true;
        stream.streamId = streamId;
        stream.typeId = typeId;
        stream.length = length;
        stream.timestamp = timestamp;
        stream.delta = fmt == 0 ? NO_DELTA : field;

        int payloadIndex = payload.readerIndex();
        if (chunks == 1) {
            out.add(header);
            if (length > 0) {
                out.add(payload.retainedSlice(payloadIndex, length));
            }
            return;
        }
        out.add(header.retainedSlice(0, firstLength));
        for (int offset = 0; offset < length; offset += chunkSize) {
            if (offset > 0) {
                out.add(header.retainedSlice(firstLength, continuationLength));
            }
            out.add(payload.retainedSlice(payloadIndex + offset, Math.min(chunkSize, length - offset)));
        }
        header.release();
    }

    private static void writeBasicHeader(ByteBuf header, int fmt, int csid) {
        if (csid < 64) {
            header.writeByte(fmt << 6 | csid);
        } else if (csid < 320) {
            header.writeByte(fmt << 6).writeByte(csid - 64);
        } else {
            int id = csid - 64;
            header.writeByte(fmt << 6 | 1).writeByte(id & 0xFF).writeByte(id >>> 8);
        }
    }

    private OutStream stream(int csid) {
        OutStream stream = streams.get(csid);
        if (stream == null) {
            stream = new OutStream();
            streams.add(csid, stream);
        }
        return stream;
    }

    /** The last header written on one chunk stream. */
    private static final class OutStream {
        boolean started;
        int streamId;
        int typeId;
        int length;
        long timestamp;
        long delta;
    }
}
