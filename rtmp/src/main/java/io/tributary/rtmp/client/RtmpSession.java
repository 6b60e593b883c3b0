package io.tributary.rtmp.client;

import io.netty.channel.Channel;
import io.tributary.rtmp.chunk.ChunkWriter;
import io.tributary.rtmp.command.Command;
import io.tributary.rtmp.command.ControlMessages;
import io.tributary.rtmp.command.Status;
import java.util.concurrent.CompletableFuture;

/** A connected RTMP NetConnection on which streams can be played or published. */
public final class RtmpSession implements AutoCloseable {
    private final Channel channel;
    private final ClientConnection connection;
    private final ChunkWriter writer;

    RtmpSession(Channel channel, ClientConnection connection, ChunkWriter writer) {
        this.channel = channel;
        this.connection = connection;
        this.writer = writer;
    }

    public Channel channel() {
        return channel;
    }

    /**
     * Plays a stream; completes on NetStream.Play.Start and fails with {@link RtmpStatusException} on an
     * error status (StreamNotFound, Failed).
     */
    public CompletableFuture<Void> play(String streamName, PlayListener listener) {
        return play(streamName, -1, listener);
    }

    /** As {@link #play(String, PlayListener)}, asking the server to stop after {@code durationSeconds} of media. */
    public CompletableFuture<Void> play(String streamName, double durationSeconds, PlayListener listener) {
        return onLoop(() -> connection.call("createStream", null, 0).thenCompose(reply -> {
            int streamId = (int) reply.numberArg(0, 1);
            ClientConnection.NetStream s = connection.open(streamId, listener, Status.PLAY_START);
            channel.write(ControlMessages.setBufferLength(channel.alloc(), streamId, 1000));
            // start -2: live or recorded, whichever exists (ffmpeg sends it in milliseconds, -2000).
            connection.send(Command.of("play", 0, null, streamName, -2000.0, durationSeconds), streamId);
            return s.started;
        }));
    }

    /**
     * Publishes a stream the way encoders do (releaseStream, FCPublish, createStream, publish); completes
     * on NetStream.Publish.Start and fails with {@link RtmpStatusException} on BadName and the like.
     */
    public CompletableFuture<RtmpPublication> publish(String streamName) {
        return publish(streamName, null);
    }

    /**
     * As {@link #publish(String)}, telling {@code statuses} every onStatus the server sends about the
     * publication, later ones included (a server that ends the publish says why).
     */
    public CompletableFuture<RtmpPublication> publish(String streamName, PlayListener statuses) {
        return onLoop(() -> {
            channel.write(ControlMessages.setChunkSize(channel.alloc(), 60_000));
            writer.setChunkSize(60_000);
            connection.call("releaseStream", null, 0, streamName);
            connection.call("FCPublish", null, 0, streamName);
            return connection.call("createStream", null, 0).thenCompose(reply -> {
                int streamId = (int) reply.numberArg(0, 1);
                ClientConnection.NetStream s = connection.open(streamId, statuses, Status.PUBLISH_START);
                connection.send(Command.of("publish", 0, null, streamName, "live"), streamId);
                return s.started.thenApply(v -> new RtmpPublication(channel, writer, streamId, streamName, connection));
            });
        });
    }

    public CompletableFuture<Void> closeFuture() {
        return connection.closed();
    }

    @Override
    public void close() {
        channel.close();
    }

    private <T> CompletableFuture<T> onLoop(java.util.function.Supplier<CompletableFuture<T>> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        channel.eventLoop().execute(() -> action.get().whenComplete((v, e) -> {
            if (e != null) {
                result.completeExceptionally(e instanceof java.util.concurrent.CompletionException c
                        && c.getCause() != null ? c.getCause() : e);
            } else {
                result.complete(v);
            }
        }));
        return result;
    }

}
