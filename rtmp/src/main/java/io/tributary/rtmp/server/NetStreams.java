package io.tributary.rtmp.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.tributary.media.Addresses;
import io.tributary.media.StreamPath;
import io.tributary.media.stream.Disconnector;
import io.tributary.media.stream.PlayGrant;
import io.tributary.media.stream.Publisher;
import io.tributary.media.stream.StreamException;
import io.tributary.media.stream.StreamGateway;
import io.tributary.media.stream.StreamRequest;
import io.tributary.media.stream.StreamSettings;
import io.tributary.rtmp.chunk.ChunkWriter;
import io.tributary.rtmp.chunk.RtmpMessage;
import io.tributary.rtmp.command.Command;
import io.tributary.rtmp.command.ControlMessages;
import io.tributary.rtmp.command.Status;
import io.tributary.rtmp.command.StreamNames;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The message streams of one RTMP connection: which ones publish (and into which stream) and which
 * ones play. Runs on the connection's event loop only.
 */
final class NetStreams {
    private static final Logger log = LoggerFactory.getLogger(NetStreams.class);

    private final ChannelHandlerContext ctx;
    private final StreamGateway gateway;
    private final StreamSettings streamSettings;
    private final ChunkWriter writer;
    private final BooleanSupplier serverStopping;
    private final Map<Integer, Ingest> publishing = new HashMap<>();
    private final Map<Integer, RtmpPlayer> playing = new HashMap<>();
    private boolean closing;

    NetStreams(ChannelHandlerContext ctx, StreamGateway gateway, StreamSettings streamSettings, ChunkWriter writer,
               BooleanSupplier serverStopping) {
        this.ctx = ctx;
        this.gateway = gateway;
        this.streamSettings = streamSettings;
        this.writer = writer;
        this.serverStopping = serverStopping;
    }

    int count() {
        return publishing.size() + playing.size();
    }

    boolean isPlaying() {
        return !playing.isEmpty();
    }

    /** Whether the connection is being closed after a refusal, so further input is ignored. */
    boolean closing() {
        return closing;
    }

    void media(RtmpMessage m) {
        Ingest ingest = publishing.get(m.streamId());
        if (ingest != null) {
            ingest.accept(ctx.alloc(), m);
        }
    }

    void publish(String app, Map<String, String> appParams, String rawName, int streamId) {
        StreamRequest request = request(app, appParams, rawName);
        if (request == null || publishing.containsKey(streamId) || playing.containsKey(streamId)) {
            refusePublish(streamId, Status.PUBLISH_BAD_NAME, request == null
                    ? "Not connected, or no stream name." : "That message stream is already in use.");
            return;
        }
        gateway.publish(request, new Disconnector() {
                    @Override
                    public void accept(String reason) {
                        ctx.executor().execute(() -> kickPublisher(streamId, reason));
                    }

                    @Override
                    public void refuse(StreamException why) {
                        ctx.executor().execute(() -> refusePublisher(streamId, why));
                    }
                })
                .whenCompleteAsync((publisher, error) -> {
                    if (error != null) {
                        StreamException e = unwrap(error);
                        log.info("publish refused {} from {}: {}", request.path(), remote(), e.getMessage());
                        refusePublish(streamId, publishCode(e), e.getMessage());
                    } else if (closing || !ctx.channel().isActive() || publishing.containsKey(streamId)) {
                        publisher.close();
                    } else {
                        publishing.put(streamId, new Ingest(publisher));
                        log.info("publish start {} from {}", request.path(), remote());
                        ctx.write(ControlMessages.userControl(ctx.alloc(), ControlMessages.EVENT_STREAM_BEGIN,
                                streamId));
                        status(streamId, Status.status(Status.PUBLISH_START, request.path() + " is now published."));
                    }
                }, ctx.executor());
    }

    /**
     * Starts a play. {@code durationSeconds} above 0 stops it after that much media; the start position
     * is not taken, because a live stream has only "now".
     */
    void play(String app, Map<String, String> appParams, String rawName, int streamId, boolean reset,
              double durationSeconds) {
        StreamRequest request = request(app, appParams, rawName);
        if (request == null || publishing.containsKey(streamId) || playing.containsKey(streamId)) {
            status(streamId, Status.error(Status.PLAY_FAILED, request == null
                    ? "Not connected, or no stream name." : "That message stream is in use."));
            return;
        }
        gateway.play(request).whenCompleteAsync((grant, error) -> {
            if (error != null) {
                StreamException e = unwrap(error);
                log.info("play refused {} rtmp to {}: {}", request.path(), remote(), e.getMessage());
                status(streamId, Status.error(e.reason() == StreamException.Reason.NOT_FOUND
                        ? Status.PLAY_STREAM_NOT_FOUND : Status.PLAY_FAILED, e.getMessage()));
            } else if (!closing && ctx.channel().isActive() && !playing.containsKey(streamId)) {
                startPlayer(grant, request.path(), streamId, reset, (long) (durationSeconds * 1000));
            }
        }, ctx.executor());
    }

    private void startPlayer(PlayGrant grant, StreamPath path, int streamId, boolean reset, long durationMillis) {
        RtmpPlayer player = new RtmpPlayer(ctx.channel(), streamSettings, writer, streamId, path, reset,
                durationMillis, why -> {
                    RtmpPlayer ended = playing.remove(streamId);
                    if (ended != null) {
                        stopPlaying(ended, why);
                    }
                });
        player.countAsViewer(grant.viewer());
        try {
            player.bind(grant.stream().subscribe(player));
            playing.put(streamId, player);
            log.info("play start {} {} to {}", path, grant.viewer() ? "rtmp" : "relay pull", remote());
        } catch (StreamException e) {
            status(streamId, Status.error(Status.PLAY_STREAM_NOT_FOUND, e.getMessage()));
        }
    }

    void receive(int streamId, boolean audio, boolean on) {
        RtmpPlayer player = playing.get(streamId);
        if (player != null) {
            if (audio) {
                player.receiveAudio(on);
            } else {
                player.receiveVideo(on);
            }
        }
    }

    /** FCUnpublish names the stream rather than the message stream. */
    void unpublishByName(String rawName) {
        if (rawName == null) {
            return;
        }
        String name = StreamNames.parse(rawName).name();
        publishing.entrySet().removeIf(e -> {
            if (e.getValue().publisher().stream().path().streamId().equals(name)) {
                stopPublishing(e.getKey(), e.getValue(), null);
                return true;
            }
            return false;
        });
    }

    void close(int streamId) {
        Ingest ingest = publishing.remove(streamId);
        if (ingest != null) {
            stopPublishing(streamId, ingest, null);
        }
        RtmpPlayer player = playing.remove(streamId);
        if (player != null) {
            stopPlaying(player, "closed by the client");
        }
    }

    void writabilityChanged() {
        for (RtmpPlayer p : playing.values()) {
            p.writabilityChanged();
        }
    }

    /** The connection is gone: every publish and play on it stops. */
    void closeAll() {
        for (var e : publishing.entrySet()) {
            stopPublishing(e.getKey(), e.getValue(), null);
        }
        publishing.clear();
        for (RtmpPlayer p : playing.values()) {
            stopPlaying(p, "connection closed");
        }
        playing.clear();
    }

    /** Server shutdown: publishers are disconnected with the reason. */
    void kickAllPublishers(String reason) {
        for (Integer streamId : Map.copyOf(publishing).keySet()) {
            kickPublisher(streamId, reason);
        }
    }

    /**
     * The node ended this publish (an operator deleted the broadcast, or the server stops): the encoder
     * gets Unpublish.Success with the reason, and AppShutdown too when the server is stopping.
     */
    private void kickPublisher(int streamId, String reason) {
        Ingest ingest = publishing.remove(streamId);
        if (ingest == null) {
            return;
        }
        stopPublishing(streamId, ingest, reason);
        closing = true;
        if (serverStopping.getAsBoolean()) {
            ctx.write(Command.of("onStatus", 0, null, Status.error(Status.CONNECT_APP_SHUTDOWN, reason))
                    .toMessage(ctx.alloc(), ControlMessages.CSID_COMMAND, 0));
        }
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * The node may no longer take this publish (another node won the stream): the encoder hears it as a
     * refused publish ({@code NetStream.Publish.BadName} for a stream taken elsewhere) and is disconnected.
     */
    private void refusePublisher(int streamId, StreamException why) {
        Ingest ingest = publishing.remove(streamId);
        if (ingest == null) {
            return;
        }
        Publisher p = ingest.publisher();
        p.close();
        log.info("publish of {} from {} ended: {}", p.stream().path(), remote(), why.getMessage());
        refusePublish(streamId, publishCode(why), why.getMessage());
    }

    private void stopPublishing(int streamId, Ingest ingest, String reason) {
        Publisher p = ingest.publisher();
        p.close();
        log.info("publish stop {} from {} after {} s, {} bytes", p.stream().path(), remote(),
                String.format(Locale.ROOT, "%.1f", (System.currentTimeMillis() - p.startedAtMillis()) / 1000.0),
                p.bytesReceived());
        if (ctx.channel().isActive()) {
            status(streamId, Status.status(Status.UNPUBLISH_SUCCESS,
                    reason != null ? reason : p.stream().path() + " is now unpublished."));
        }
    }

    private void stopPlaying(RtmpPlayer player, String why) {
        player.stop();
        log.info("play stop {} rtmp to {} ({}): {} frames, {} bytes, {} dropped", player.path(), remote(), why,
                player.framesSent(), player.bytesSent(), player.framesDropped());
    }

    private StreamRequest request(String app, Map<String, String> appParams, String rawName) {
        if (app == null || rawName == null || rawName.isEmpty()) {
            return null;
        }
        StreamNames name = StreamNames.parse(rawName);
        Map<String, String> params = new LinkedHashMap<>(appParams);
        params.putAll(name.params());
        return new StreamRequest(new StreamPath(app, name.name()), params, RtmpServer.clientAddress(ctx.channel()),
                "rtmp");
    }

    private void refusePublish(int streamId, String code, String description) {
        closing = true;
        ctx.writeAndFlush(Command.of("onStatus", 0, null, Status.error(code, description))
                .toMessage(ctx.alloc(), ControlMessages.CSID_STREAM, streamId))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void status(int streamId, Object info) {
        ctx.writeAndFlush(Command.of("onStatus", 0, null, info).toMessage(ctx.alloc(), ControlMessages.CSID_STREAM,
                streamId));
    }

    private String remote() {
        return Addresses.format(RtmpServer.clientAddress(ctx.channel()));
    }

    private static StreamException unwrap(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof StreamException se) {
            return se;
        }
        log.warn("stream request failed", cause);
        return new StreamException(StreamException.Reason.UNAVAILABLE, "Internal error: " + cause.getMessage());
    }

    private static String publishCode(StreamException e) {
        return switch (e.reason()) {
            case UNAUTHORIZED, FORBIDDEN -> Status.PUBLISH_UNAUTHORIZED;
            case UNAVAILABLE -> Status.STREAM_FAILED;
            default -> Status.PUBLISH_BAD_NAME;
        };
    }
}
