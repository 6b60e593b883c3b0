package io.tributary.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Decodes the RTMP chunk stream into complete {@link RtmpMessage}s, one per message, each owning a
 * payload buffer of exactly the message's length.
 *
 * <p>Set Chunk Size and Abort change how the following chunks are read, so the decoder applies them
 * itself the moment such a message is complete, and still passes them on.
 *
 * <p>A peer can declare messages of up to {@code maxMessageSize} bytes on many chunk streams at
 * once and then send them slowly. Partial messages therefore grow with the bytes that actually
 * arrive (at most twice what arrived, plus bytes already sitting in the input), and at most
 * {@code maxChunkStreams} may be partial at a time.
 */
public final class ChunkDecoder extends ByteToMessageDecoder {

    static final int DEFAULT_CHUNK_SIZE = 128;
    static final int MAX_CHUNK_SIZE = 0xFFFFFF;
    private static final int[] MESSAGE_HEADER_LENGTH = {11, 7, 3, 0};
    private static final long UINT32 = 0xFFFFFFFFL;
    // Header state is kept for every chunk stream a peer uses; real peers use a handful, and the
    // protocol allows 65598. This caps that state per connection.
    private static final int MIN_KNOWN_STREAMS_LIMIT = 1024;

    private final int maxMessageSize;
    private final int maxChunkStreams;
    private final int maxKnownStreams;
    private final ChunkStreamMap<ChunkStream> streams = new ChunkStreamMap<>();
    private int partialStreams;
    /** Capacity of partial buffers not yet filled, across chunk streams. */
    private long reservedBytes;
    /** The chunk stream whose chunk payload is being read, or null between chunks. */
    private ChunkStream current;
    private int chunkRemaining;
    private int chunkSize = DEFAULT_CHUNK_SIZE;
    private long bytesRead;
    private boolean failed;

    /**
     * @param maxMessageSize the largest message length a peer may declare
     * @param maxChunkStreams how many chunk streams may have a partial message at once
     */
    public ChunkDecoder(int maxMessageSize, int maxChunkStreams) {
        if (maxMessageSize < 1 || maxChunkStreams < 1) {
            throw new IllegalArgumentException("limits must be positive: maxMessageSize=" + maxMessageSize
                    + ", maxChunkStreams=" + maxChunkStreams);
        }
        this.maxMessageSize = maxMessageSize;
        this.maxChunkStreams = maxChunkStreams;
        this.maxKnownStreams = Math.max(MIN_KNOWN_STREAMS_LIMIT, maxChunkStreams);
    }

    /** Bytes consumed since this decoder was added, i.e. since the handshake. */
    public long bytesRead() {
        return bytesRead;
    }

    /** The peer's current chunk size. */
    public int chunkSize() {
        return chunkSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int start = in.readerIndex();
        try {
            decodeChunks(ctx.alloc(), in, out);
        } catch (RtmpProtocolException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            releasePartials();
            throw e;
        } finally {
            bytesRead += in.readerIndex() - start;
        }
    }

    private void decodeChunks(ByteBufAllocator alloc, ByteBuf in, List<Object> out) {
        for (;;) {
            if (current == null) {
                if (!readHeader(alloc, in, out)) {
                    return;
                }
                if (current == null) {
                    continue; // an empty message, already emitted
                }
            }
            int n = Math.min(chunkRemaining, in.readableBytes());
            if (n == 0) {
                return;
            }
            ChunkStream stream = current;
            ByteBuf partial = stream.partial;
            int capacityBefore = partial.capacity();
            partial.writeBytes(in, n);
            reservedBytes += partial.capacity() - capacityBefore - n;
            chunkRemaining -= n;
            if (chunkRemaining == 0) {
                current = null;
                if (partial.writerIndex() == stream.length) {
                    stream.partial = null;
                    partialStreams--;
                    emit(stream, partial, out);
                }
            }
        }
    }

    /** Consumes one chunk header if it has fully arrived; false if more bytes are needed. */
    private boolean readHeader(ByteBufAllocator alloc, ByteBuf in, List<Object> out) {
        int readable = in.readableBytes();
        if (readable == 0) {
            return false;
        }
        int index = in.readerIndex();
        int first = in.getUnsignedByte(index);
        int fmt = first >>> 6;
        int csid = first & 0x3F;
        int basicLength = 1;
        if (csid == 0) {
            if (readable < 2) {
                return false;
            }
            csid = 64 + in.getUnsignedByte(index + 1);
            basicLength = 2;
        } else if (csid == 1) {
            if (readable < 3) {
                return false;
            }
            csid = 64 + in.getUnsignedByte(index + 1) + (in.getUnsignedByte(index + 2) << 8);
            basicLength = 3;
        }
        int headerLength = basicLength + MESSAGE_HEADER_LENGTH[fmt];
        if (readable < headerLength) {
            return false;
        }
        ChunkStream stream = streams.get(csid);
        int p = index + basicLength;
        boolean extended;
        if (fmt == 0) {
            extended = in.getUnsignedMedium(p) == 0xFFFFFF;
        } else if (stream == null) {
            throw new RtmpProtocolException(fmt == 3
                    ? "chunk stream " + csid + " continues a message it never started"
                    : "chunk stream " + csid + " sent a type " + fmt + " chunk header before any type 0 header");
        } else {
            // A type 3 chunk repeats the extended timestamp when its stream's last header had one.
            extended = fmt == 3 ? stream.extended : in.getUnsignedMedium(p) == 0xFFFFFF;
        }
        int fullLength = extended ? headerLength + 4 : headerLength;
        if (readable < fullLength) {
            return false;
        }
        if (stream != null && stream.partial != null) {
            if (fmt != 3) {
                throw new RtmpProtocolException("chunk stream " + csid + " started a new message with a type " + fmt
                        + " header while " + (stream.length - stream.partial.writerIndex()) + " of "
                        + stream.length + " bytes of the previous one were still missing");
            }
            in.skipBytes(fullLength);
            current = stream;
            chunkRemaining = Math.min(chunkSize, stream.length - stream.partial.writerIndex());
            return true;
        }
        long field = extended ? in.getUnsignedInt(index + headerLength) : fmt == 3 ? 0 : in.getUnsignedMedium(p);
        switch (fmt) {
            case 0 -> {
                int length = checkLength(in.getUnsignedMedium(p + 3));
                if (stream == null) {
                    stream = newStream(csid);
                }
                stream.length = length;
                stream.typeId = in.getUnsignedByte(p + 6);
                stream.streamId = in.getIntLE(p + 7);
                stream.timestamp = field;
                // ffmpeg and others take a type 0 timestamp as the delta a following type 3 repeats.
                stream.delta = field;
            }
            case 1 -> {
                stream.length = checkLength(in.getUnsignedMedium(p + 3));
                stream.typeId = in.getUnsignedByte(p + 6);
                stream.delta = field;
                stream.timestamp = (stream.timestamp + field) & UINT32;
            }
            case 2 -> {
                stream.delta = field;
                stream.timestamp = (stream.timestamp + field) & UINT32;
            }
            default -> {
                if (extended) {
                    stream.delta = field;
                }
                stream.timestamp = (stream.timestamp + stream.delta) & UINT32;
            }
        }
        if (fmt != 3) {
            stream.extended = extended;
        }
        in.skipBytes(fullLength);
        startMessage(alloc, stream, in, out);
        return true;
    }

    private void startMessage(ByteBufAllocator alloc, ChunkStream stream, ByteBuf in, List<Object> out) {
        int length = stream.length;
        if (length == 0) {
            emit(stream, Unpooled.EMPTY_BUFFER, out);
            return;
        }
        if (partialStreams >= maxChunkStreams) {
            throw new RtmpProtocolException("chunk stream " + stream.csid + " starts a message while "
                    + partialStreams + " chunk streams already have partial messages (limit " + maxChunkStreams + ")");
        }
        // Allocate for bytes that have arrived, never for the declared length alone: a message
        // already fully in the input gets its exact buffer at once, a trickled one grows.
        int readable = in.readableBytes();
        int firstChunk = Math.min(Math.min(length, chunkSize), readable);
        int initial = (int) Math.max(firstChunk, Math.min(length, readable - reservedBytes));
        stream.partial = alloc.buffer(initial, length);
        reservedBytes += initial;
        partialStreams++;
        current = stream;
        chunkRemaining = Math.min(chunkSize, length);
    }

    private int checkLength(int length) {
        if (length > maxMessageSize) {
            throw new RtmpProtocolException("message length " + length + " exceeds the limit of "
                    + maxMessageSize + " bytes");
        }
        return length;
    }

    private void emit(ChunkStream stream, ByteBuf payload, List<Object> out) {
        try {
            if (stream.typeId == MessageType.SET_CHUNK_SIZE) {
                int size = controlValue(payload, "Set Chunk Size");
                if (size <= 0) {
                    throw new RtmpProtocolException(size == 0 ? "chunk size 0 is invalid"
                            : String.format("chunk size 0x%08X is invalid: the top bit must be clear", size));
                }
                chunkSize = Math.min(size, MAX_CHUNK_SIZE);
            } else if (stream.typeId == MessageType.ABORT) {
                abort(controlValue(payload, "Abort"));
            }
        } catch (RtmpProtocolException e) {
            payload.release();
            throw e;
        }
        out.add(new RtmpMessage(stream.csid, stream.typeId, stream.streamId, stream.timestamp, payload));
    }

    private static int controlValue(ByteBuf payload, String name) {
        if (payload.readableBytes() < 4) {
            throw new RtmpProtocolException(name + " message has " + payload.readableBytes()
                    + " bytes, expected 4");
        }
        return payload.getInt(payload.readerIndex());
    }

    private void abort(int csid) {
        ChunkStream stream = csid >= 2 && csid <= 65599 ? streams.get(csid) : null;
        if (stream != null && stream.partial != null) {
            discardPartial(stream);
        }
    }

    private void discardPartial(ChunkStream stream) {
        ByteBuf partial = stream.partial;
        reservedBytes -= partial.capacity() - partial.writerIndex();
        partial.release();
        stream.partial = null;
        partialStreams--;
    }

    private ChunkStream newStream(int csid) {
        if (streams.size() >= maxKnownStreams) {
            throw new RtmpProtocolException("chunk stream " + csid + " is one more than the "
                    + maxKnownStreams + " chunk streams a peer may use");
        }
        ChunkStream stream = new ChunkStream(csid);
        streams.add(csid, stream);
        return stream;
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releasePartials();
    }

    private void releasePartials() {
        current = null;
        streams.forEach(stream -> {
            if (stream.partial != null) {
                discardPartial(stream);
            }
        });
    }

    /** What the last header on one chunk stream said, and its message in progress. */
    private static final class ChunkStream {
        final int csid;
        int length;
        int typeId;
        int streamId;
        long timestamp;
        long delta;
        boolean extended;
        ByteBuf partial;

        ChunkStream(int csid) {
            this.csid = csid;
        }
    }
}
