package io.tributary.bench.load;

import io.netty.buffer.ByteBuf;

/**
 * Reads an FLV byte stream as it arrives (the body of an HTTP-FLV response) without assembling tags: the
 * file header, then for each tag its PreviousTagSize field and 11-byte header, and the tag's body handed
 * to a {@link Sink} as ranges of the input buffer. Headers split by a read boundary are gathered in the
 * first bytes of the scratch array it is given.
 */
final class FlvTagReader {
    private static final int FILE_HEADER = 9;
    private static final int TAG_HEADER = 11;
    private static final int PREVIOUS_TAG_SIZE = 4;

    /** What happens to the tags read. */
    interface Sink {
        void tagStart(int type, int size);

        void tagBytes(ByteBuf in, int at, int n);

        void tagEnd();
    }

    /** A malformed stream. */
    static final class FlvStreamException extends RuntimeException {
        FlvStreamException(String message) {
            super(message);
        }
    }

    private enum State { FILE_HEADER, SKIP, TAG_HEADER, BODY }

    private final Sink sink;
    private final byte[] header;
    private State state = State.FILE_HEADER;
    private int have;
    private long skip;
    private int remaining;

    /** @param scratch its first 11 bytes hold headers split by a read boundary */
    FlvTagReader(Sink sink, byte[] scratch) {
        this.sink = sink;
        this.header = scratch;
    }

    /** Consumes every readable byte of {@code in}. */
    void read(ByteBuf in) {
        int at = in.readerIndex();
        int end = in.writerIndex();
        while (at < end) {
            switch (state) {
                case FILE_HEADER, TAG_HEADER -> {
                    int need = state == State.FILE_HEADER ? FILE_HEADER : TAG_HEADER;
                    int take = Math.min(need - have, end - at);
                    in.getBytes(at, header, have, take);
                    have += take;
                    at += take;
                    if (have == need) {
                        have = 0;
                        if (state == State.FILE_HEADER) {
                            fileHeader();
                        } else {
                            tagHeader();
                        }
                    }
                }
                case SKIP -> {
                    int n = (int) Math.min(skip, end - at);
                    skip -= n;
                    at += n;
                    if (skip == 0) {
                        state = State.TAG_HEADER;
                    }
                }
                case BODY -> {
                    int n = Math.min(remaining, end - at);
                    remaining -= n;
                    sink.tagBytes(in, at, n);
                    at += n;
                    if (remaining == 0) {
                        sink.tagEnd();
                        skipPreviousTagSize();
                    }
                }
            }
        }
        in.readerIndex(end);
    }

    private void fileHeader() {
        if (header[0] != 'F' || header[1] != 'L' || header[2] != 'V') {
            throw new FlvStreamException("the response body is not FLV (it starts with "
                    + String.format("%02x %02x %02x", header[0], header[1], header[2]) + ")");
        }
        long dataOffset = (header[5] & 0xFFL) << 24 | (header[6] & 0xFF) << 16 | (header[7] & 0xFF) << 8
                | header[8] & 0xFF;
        if (dataOffset < FILE_HEADER) {
            throw new FlvStreamException("FLV header size " + dataOffset + " is below 9");
        }
        skip = dataOffset - FILE_HEADER + PREVIOUS_TAG_SIZE;
        state = State.SKIP;
    }

    private void tagHeader() {
        if ((header[0] & 0x20) != 0) {
            throw new FlvStreamException("encrypted FLV tags are not supported");
        }
        int type = header[0] & 0x1F;
        int size = (header[1] & 0xFF) << 16 | (header[2] & 0xFF) << 8 | header[3] & 0xFF;
        sink.tagStart(type, size);
        if (size == 0) {
            sink.tagEnd();
            skipPreviousTagSize();
        } else {
            remaining = size;
            state = State.BODY;
        }
    }

    private void skipPreviousTagSize() {
        skip = PREVIOUS_TAG_SIZE;
        state = State.SKIP;
    }
}
