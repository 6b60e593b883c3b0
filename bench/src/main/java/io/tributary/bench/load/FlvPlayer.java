package io.tributary.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A light HTTP-FLV player: one {@code GET /app/stream.flv}, the response head checked (200, no chunked
 * transfer coding), then the body read by an {@link FlvTagReader} with audio and video bytes counted as
 * they go past.
 */
final class FlvPlayer extends Player implements FlvTagReader.Sink {
    private static final int MAX_HEAD = 16 * 1024;

    private final ByteBuf request;
    private final MediaMessage tag = new MediaMessage();
    private ByteBuf head;
    private FlvTagReader reader;
    private boolean inMedia;

    /** @param request the request bytes, shared by every player of a level (a read-only buffer) */
    FlvPlayer(int index, LoadGenerator generator, LoopStats loop, ByteBuf request) {
        super(index, generator, loop);
        this.request = request;
    }

    /** {@code GET /app/stream.flv} for {@code host:port}, closing the connection after the response. */
    static ByteBuf request(String host, int port, String app, String stream) {
        String text = "GET /" + app + "/" + stream + ".flv HTTP/1.1\r\n"
                + "Host: " + host + ":" + port + "\r\n"
                + "User-Agent: tributary-bench\r\n"
                + "Accept: */*\r\n"
                + "Connection: close\r\n\r\n";
        return Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(text.getBytes(StandardCharsets.US_ASCII))
                .asReadOnly());
    }

    @Override
    String protocol() {
        return "flv";
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(request.duplicate(), ctx.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (reader == null) {
                in = head(ctx, in);
            }
            if (reader != null && in.isReadable() && !failed()) {
                reader.read(in);
            }
        } catch (FlvTagReader.FlvStreamException e) {
            fail("FLV error: " + e.getMessage());
        } finally {
            in.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (head != null) {
            head.release();
            head = null;
        }
        super.channelInactive(ctx);
    }

    /**
     * Gathers the response head; once it is complete, checks it, starts the FLV reader and returns what
     * follows the head (released by the caller) in place of {@code in}.
     */
    private ByteBuf head(ChannelHandlerContext ctx, ByteBuf in) {
        if (head == null) {
            head = ctx.alloc().buffer(512);
        }
        int searchFrom = Math.max(0, head.readableBytes() - 3);
        head.writeBytes(in, Math.min(in.readableBytes(), MAX_HEAD + 4 - head.readableBytes()));
        int end = ByteBufUtil.indexOf(head, searchFrom, head.writerIndex(), (byte) '\r');
        int headEnd = -1;
        while (end >= 0 && end + 3 < head.writerIndex()) {
            if (head.getByte(end + 1) == '\n' && head.getByte(end + 2) == '\r' && head.getByte(end + 3) == '\n') {
                headEnd = end;
                break;
            }
            end = ByteBufUtil.indexOf(head, end + 1, head.writerIndex(), (byte) '\r');
        }
        if (headEnd < 0) {
            if (head.readableBytes() > MAX_HEAD) {
                fail("the HTTP response head is longer than " + MAX_HEAD + " bytes");
            }
            return in;
        }
        String text = head.toString(0, headEnd, StandardCharsets.ISO_8859_1);
        ByteBuf rest = head.retainedSlice(headEnd + 4, head.writerIndex() - headEnd - 4);
        head.release();
        head = null;
        in.release();
        String problem = checkHead(text);
        if (problem != null) {
            fail(problem);
        } else {
            reader = new FlvTagReader(this, scratch);
        }
        return rest;
    }

    /** Null for a 200 response with a body we can read; else what is wrong with it. */
    static String checkHead(String text) {
        String[] lines = text.split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/")) {
            return "not an HTTP response: " + lines[0];
        }
        if (!status[1].equals("200")) {
            return "HTTP " + status[1] + (status.length > 2 ? " " + status[2] : "");
        }
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().equalsIgnoreCase("Transfer-Encoding")
                    && lines[i].substring(colon + 1).toLowerCase(Locale.ROOT).contains("chunked")) {
                return "the server sent the FLV body with chunked transfer coding, which the load generator does not read";
            }
        }
        return null;
    }

    @Override
    public void tagStart(int type, int size) {
        inMedia = type == AUDIO || type == VIDEO;
        if (inMedia) {
            mediaStart(tag, type, size);
        }
    }

    @Override
    public void tagBytes(ByteBuf in, int at, int n) {
        if (inMedia) {
            mediaBytes(tag, in, at, n);
        }
    }

    @Override
    public void tagEnd() {
        if (inMedia) {
            mediaEnd(tag);
        }
    }
}
