package io.tributary.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.tributary.bench.marker.FrameMarker;

/**
 * One light player: the only handler of its channel, reading the protocol straight from the socket's
 * buffers and keeping a few counters. Subclasses parse their protocol down to audio and video messages
 * and hand their bytes here as they stream past ({@link #mediaStart}, {@link #mediaBytes},
 * {@link #mediaEnd}); nothing is assembled, and only the first bytes of each message are looked at: the
 * frame type, the packet type and the {@link FrameMarker}.
 *
 * <p>Everything here is touched only by the channel's event loop, except {@link #connectNanos} (set
 * before the channel exists) and what the generator reads on that same loop when it collects results.
 */
abstract class Player extends ChannelInboundHandlerAdapter {
    static final int AUDIO = 8;
    static final int VIDEO = 9;
    /** Scratch bytes for protocol headers split by a read boundary (an RTMP chunk header is at most 18). */
    static final int HEADER_SCRATCH = 24;

    private static final int KIND_OTHER = 0;
    private static final int KIND_CONFIG = 1;
    private static final int KIND_CODED = 2;
    private static final int AVC = 7;
    private static final int AAC = 10;

    /** What is known of one audio or video message while its bytes go past. */
    static class MediaMessage {
        int type;
        int received;
        int headNeed;
        int headHave;
        int kind;
        boolean keyframe;
        boolean marked;
        long seq;
        long sentNanos;
    }

    /** {@code [0, HEADER_SCRATCH)} for the subclass's headers, then the head of a media message. */
    final byte[] scratch = new byte[HEADER_SCRATCH + FrameMarker.HEAD_LENGTH];
    final int index;
    final LoadGenerator generator;
    final LoopStats loop;
    Channel channel;
    ChannelHandlerContext context;
    volatile long connectNanos;
    long firstKeyNanos;
    long bytes;
    long frames;
    long keyframes;
    boolean sawCodedVideo;
    boolean startedOnKeyframe;
    long currentSeq = -1;
    long maxSeq = -1;
    long bestLatency = Long.MAX_VALUE;
    int windowEpoch;
    long windowBytes;
    long windowFrames;
    long windowWorstLag;
    String error;
    boolean closing;
    private MediaMessage headOwner;

    Player(int index, LoadGenerator generator, LoopStats loop) {
        this.index = index;
        this.generator = generator;
        this.loop = loop;
    }

    abstract String protocol();

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        context = ctx;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail("the server closed the connection" + (bytes == 0 ? " before any media" : " after " + bytes + " media bytes"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause.getMessage() == null ? cause.toString() : cause.getMessage());
    }

    /** Counts this player as failed (once) and closes its connection. */
    final void fail(String why) {
        if (error != null || closing) {
            return;
        }
        error = why;
        generator.playerFailed(this, why);
        if (channel != null) {
            channel.close();
        }
    }

    final boolean failed() {
        return error != null;
    }

    /** Closing by the generator: what follows is no failure. */
    final void closeQuietly() {
        closing = true;
        if (channel != null) {
            channel.close();
        }
    }

    final void mediaStart(MediaMessage m, int type, int length) {
        m.type = type;
        m.received = 0;
        m.headHave = 0;
        m.headNeed = Math.min(type == VIDEO ? FrameMarker.HEAD_LENGTH : 2, length);
        m.kind = KIND_OTHER;
        m.keyframe = false;
        m.marked = false;
    }

    final void mediaBytes(MediaMessage m, ByteBuf in, int at, int n) {
        bytes += n;
        if (m.headHave < m.headNeed) {
            head(m, in, at, n);
        }
        m.received += n;
    }

    /** A message cut short (RTMP Abort): its bytes were counted, it is no frame. */
    final void mediaAbort(MediaMessage m) {
        if (headOwner == m) {
            headOwner = null;
        }
    }

    final void mediaEnd(MediaMessage m) {
        if (headOwner == m) {
            headOwner = null;
        }
        if (m.kind != KIND_CODED || error != null) {
            return; // sequence headers and info packets are no frames, on the publisher's side either
        }
        long now = System.nanoTime();
        Window w = generator.window();
        syncWindow(w);
        if (m.type == AUDIO) {
            if (w.contains(currentSeq)) {
                windowBytes += m.received;
            }
            return;
        }
        frames++;
        if (!sawCodedVideo) {
            sawCodedVideo = true;
            startedOnKeyframe = m.keyframe;
        }
        if (m.keyframe) {
            keyframes++;
            if (firstKeyNanos == 0) {
                firstKeyNanos = now;
                loop.recordTtff(now - connectNanos);
                generator.playerStarted(this);
            }
        }
        if (!m.marked) {
            return;
        }
        long seq = m.seq;
        currentSeq = seq;
        maxSeq = Math.max(maxSeq, seq);
        long latency = now - m.sentNanos;
        bestLatency = Math.min(bestLatency, latency);
        if (w.contains(seq)) {
            windowBytes += m.received;
            windowFrames++;
            loop.recordLatency(w.epoch(), latency);
            windowWorstLag = Math.max(windowWorstLag, latency - bestLatency);
        }
    }

    /** Starts this player's window counters afresh when the generator opened a new window. */
    final void syncWindow(Window w) {
        if (windowEpoch != w.epoch()) {
            windowEpoch = w.epoch();
            windowBytes = 0;
            windowFrames = 0;
            windowWorstLag = 0;
        }
    }

    private void head(MediaMessage m, ByteBuf in, int at, int n) {
        if (m.headHave == 0 && n >= m.headNeed) {
            m.headHave = m.headNeed;
            classify(m, in.getUnsignedByte(at), m.headNeed > 1 ? in.getUnsignedByte(at + 1) : -1);
            if (m.kind == KIND_CODED && m.type == VIDEO) {
                marker(m, FrameMarker.read(in, at, m.headNeed, loop.reading));
            }
            return;
        }
        if (headOwner != null && headOwner != m) {
            // Two heads split at once only happens with chunks shorter than a head: leave this one unread.
            m.headHave = m.headNeed;
            return;
        }
        headOwner = m;
        int take = Math.min(n, m.headNeed - m.headHave);
        in.getBytes(at, scratch, HEADER_SCRATCH + m.headHave, take);
        m.headHave += take;
        if (m.headHave == m.headNeed) {
            headOwner = null;
            classify(m, scratch[HEADER_SCRATCH] & 0xFF, m.headNeed > 1 ? scratch[HEADER_SCRATCH + 1] & 0xFF : -1);
            if (m.kind == KIND_CODED && m.type == VIDEO) {
                marker(m, FrameMarker.read(scratch, HEADER_SCRATCH, m.headNeed, loop.reading));
            }
        }
    }

    private void marker(MediaMessage m, boolean found) {
        if (found) {
            m.marked = true;
            m.seq = loop.reading.seq();
            m.sentNanos = loop.reading.sentNanos();
        }
    }

    /** Frame type and packet type, from the first two bytes of an FLV tag body (b1 is -1 if there is none). */
    private static void classify(MediaMessage m, int b0, int b1) {
        if (m.type == AUDIO) {
            m.kind = b0 >> 4 == AAC && b1 == 0 ? KIND_CONFIG : KIND_CODED;
            return;
        }
        if ((b0 & 0x80) != 0) {
            // Enhanced RTMP: [1][frame type:3][packet type:4]; 0 is a sequence start, 1 and 3 coded frames.
            int frameType = b0 >> 4 & 0x07;
            int packetType = b0 & 0x0F;
            m.kind = frameType == 5 ? KIND_OTHER : packetType == 0 ? KIND_CONFIG
                    : packetType == 1 || packetType == 3 ? KIND_CODED : KIND_OTHER;
            m.keyframe = frameType == 1;
            return;
        }
        int frameType = b0 >> 4;
        if (frameType == 5) {
            m.kind = KIND_OTHER;
        } else if ((b0 & 0x0F) == AVC) {
            m.kind = b1 == 1 ? KIND_CODED : b1 == 0 ? KIND_CONFIG : KIND_OTHER;
        } else {
            m.kind = KIND_CODED;
        }
        m.keyframe = frameType == 1;
    }
}
