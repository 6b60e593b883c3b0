package io.tributary.bench.load;

import io.netty.buffer.ByteBuf;
import io.tributary.rtmp.chunk.RtmpProtocolException;

/**
 * Reads an RTMP chunk stream as it arrives without assembling messages: it parses chunk headers (all
 * four formats, extended timestamps, Set Chunk Size applied by the sink) and hands each chunk's payload
 * bytes to a {@link Sink} as a range of the input buffer. Timestamps are not needed by a load player and
 * are not computed; only whether a chunk stream's headers carry an extended timestamp is kept.
 *
 * <p>A chunk header split by a read boundary is gathered in the first bytes of the scratch array it is
 * given; nothing else is copied.
 */
final class ChunkReader {
    static final int DEFAULT_CHUNK_SIZE = 128;
    private static final int MAX_CHUNK_STREAMS = 32;
    private static final int[] MESSAGE_HEADER_LENGTH = {11, 7, 3, 0};

    /** What happens to the messages read. */
    interface Sink {
        /** A message of {@code s.length} bytes and type {@code s.typeId} begins on chunk stream {@code s}. */
        void messageStart(ChunkStream s);

        /** {@code n} payload bytes of the message in progress on {@code s}, at {@code in[at]}. */
        void messageBytes(ChunkStream s, ByteBuf in, int at, int n);

        /** The message on {@code s} is complete. */
        void messageEnd(ChunkStream s);
    }

    /** One chunk stream: the last header it carried and its message in progress. */
    static final class ChunkStream extends Player.MediaMessage {
        final int csid;
        int typeId;
        int streamId;
        int length;
        boolean extended;
        int remaining;
        /** A small non-media message being gathered by the sink, or null. */
        ByteBuf gathered;

        ChunkStream(int csid) {
            this.csid = csid;
        }
    }

    private final Sink sink;
    private final byte[] header;
    private ChunkStream[] streams = new ChunkStream[4];
    private int streamCount;
    private int headerHave;
    private ChunkStream current;
    private int chunkRemaining;
    private int chunkSize = DEFAULT_CHUNK_SIZE;
    private long bytesRead;
    private boolean stopped;

    /** @param scratch its first 18 bytes hold chunk headers split by a read boundary */
    ChunkReader(Sink sink, byte[] scratch) {
        this.sink = sink;
        this.header = scratch;
    }

    /** Bytes read since the handshake (what RTMP acknowledgements count). */
    long bytesRead() {
        return bytesRead;
    }

    void setChunkSize(int size) {
        if (size <= 0) {
            throw new RtmpProtocolException("invalid chunk size " + size);
        }
        chunkSize = size;
    }

    /** Reads no more: the sink failed the connection. */
    void stop() {
        stopped = true;
    }

    /** Drops the message in progress on {@code csid} (an Abort message); returns it, or null if there was none. */
    ChunkStream abort(int csid) {
        ChunkStream s = find(csid);
        if (s == null || s.remaining == 0) {
            return null;
        }
        s.remaining = 0;
        if (current == s) {
            current = null;
        }
        return s;
    }

    /** Consumes every readable byte of {@code in}. */
    void read(ByteBuf in) {
        int at = in.readerIndex();
        int end = in.writerIndex();
        bytesRead += end - at;
        while (at < end && !stopped) {
            if (current != null) {
                ChunkStream s = current;
                int n = Math.min(chunkRemaining, end - at);
                chunkRemaining -= n;
                s.remaining -= n;
                sink.messageBytes(s, in, at, n);
                at += n;
                if (chunkRemaining == 0) {
                    current = null;
                    if (s.remaining == 0) {
                        sink.messageEnd(s);
                    }
                }
                continue;
            }
            int need = headerLength();
            while (headerHave < need && at < end) {
                int take = Math.min(need - headerHave, end - at);
                in.getBytes(at, header, headerHave, take);
                headerHave += take;
                at += take;
                need = headerLength();
            }
            if (headerHave == need) {
                headerHave = 0;
                startChunk();
            }
        }
        in.readerIndex(end);
    }

    /** How many bytes the header being gathered has, as far as its bytes so far tell. */
    private int headerLength() {
        int have = headerHave;
        if (have < 1) {
            return 1;
        }
        int fmt = (header[0] & 0xFF) >>> 6;
        int basic = basicHeaderLength();
        if (have < basic) {
            return basic;
        }
        int base = basic + MESSAGE_HEADER_LENGTH[fmt];
        if (have < base) {
            return base;
        }
        boolean extended;
        if (fmt == 3) {
            ChunkStream s = find(csid(basic));
            if (s == null) {
                throw new RtmpProtocolException("chunk stream " + csid(basic) + " continues a message it never started");
            }
            extended = s.extended;
        } else {
            extended = uint24(basic) == 0xFFFFFF;
        }
        return extended ? base + 4 : base;
    }

    private void startChunk() {
        int fmt = (header[0] & 0xFF) >>> 6;
        int basic = basicHeaderLength();
        int csid = csid(basic);
        ChunkStream s = find(csid);
        if (s == null) {
            if (fmt != 0) {
                throw new RtmpProtocolException("chunk stream " + csid + " sent a type " + fmt
                        + " chunk header before any type 0 header");
            }
            s = add(csid);
        }
        if (s.remaining > 0) {
            if (fmt != 3) {
                throw new RtmpProtocolException("chunk stream " + csid + " started a new message with a type " + fmt
                        + " header while " + s.remaining + " bytes of the previous one were still missing");
            }
        } else {
            if (fmt <= 1) {
                s.length = uint24(basic + 3);
                s.typeId = header[basic + 6] & 0xFF;
            }
            if (fmt == 0) {
                s.streamId = (header[basic + 7] & 0xFF) | (header[basic + 8] & 0xFF) << 8
                        | (header[basic + 9] & 0xFF) << 16 | (header[basic + 10] & 0xFF) << 24;
            }
            if (fmt <= 2) {
                s.extended = uint24(basic) == 0xFFFFFF;
            }
            s.remaining = s.length;
            sink.messageStart(s);
            if (s.length == 0) {
                sink.messageEnd(s);
                return;
            }
        }
        current = s;
        chunkRemaining = Math.min(chunkSize, s.remaining);
    }

    private int basicHeaderLength() {
        int low = header[0] & 0x3F;
        return low == 0 ? 2 : low == 1 ? 3 : 1;
    }

    private int csid(int basic) {
        return switch (basic) {
            case 1 -> header[0] & 0x3F;
            case 2 -> 64 + (header[1] & 0xFF);
            default -> 64 + (header[1] & 0xFF) + ((header[2] & 0xFF) << 8);
        };
    }

    private int uint24(int at) {
        return (header[at] & 0xFF) << 16 | (header[at + 1] & 0xFF) << 8 | header[at + 2] & 0xFF;
    }

    private ChunkStream find(int csid) {
        for (int i = 0; i < streamCount; i++) {
            if (streams[i].csid == csid) {
                return streams[i];
            }
        }
        return null;
    }

    private ChunkStream add(int csid) {
        if (streamCount == MAX_CHUNK_STREAMS) {
            throw new RtmpProtocolException("the server uses more than " + MAX_CHUNK_STREAMS + " chunk streams");
        }
        if (streamCount == streams.length) {
            streams = java.util.Arrays.copyOf(streams, streams.length * 2);
        }
        ChunkStream s = new ChunkStream(csid);
        streams[streamCount++] = s;
        return s;
    }

    /** Calls {@code action} for every chunk stream (to release what sinks gathered). */
    void forEach(java.util.function.Consumer<ChunkStream> action) {
        for (int i = 0; i < streamCount; i++) {
            action.accept(streams[i]);
        }
    }
}
