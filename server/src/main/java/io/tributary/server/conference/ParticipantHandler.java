package io.tributary.server.conference;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One participant's side of the protocol: JSON commands in text frames, binary frames relayed to its
 * room. Runs on the connection's event loop, which alone changes which room the participant is in.
 * Control frames (ping, pong, close) never get here: Netty's protocol handler answers them.
 */
final class ParticipantHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final Logger log = LoggerFactory.getLogger(ParticipantHandler.class);

    private final String app;
    private final ConferenceRooms rooms;
    private Participant participant;
    private boolean connected;
    private String room;

    ParticipantHandler(String app, ConferenceRooms rooms) {
        this.app = app;
        this.rooms = rooms;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        participant = new Participant(ctx.channel());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            connected = true;
            log.info("websocket connect {} participant {} from {}", app, participant.id(), participant.address());
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame text) {
            onCommand(text.text());
        } else if (frame instanceof BinaryWebSocketFrame binary) {
            onBinary(ByteBufUtil.getBytes(binary.content()));
        }
    }

    private void onCommand(String text) {
        try {
            Command command = Command.parse(text);
            switch (command.name()) {
                case Command.JOIN_ROOM -> join(command.room());
                case Command.LEAVE_FROM_ROOM -> leave(command.room());
                case Command.SEND_DATA -> sendData(command.data());
                default -> throw new IllegalStateException("unhandled command " + command.name());
            }
        } catch (CommandException e) {
            participant.send(false, Replies.error(e));
        }
    }

    private void sendData(String data) throws CommandException {
        String current = requireRoom("sending data");
        rooms.send(app, current, participant, false, Replies.receivedData(current, participant.id(), data));
    }

    private void onBinary(byte[] data) {
        try {
            rooms.send(app, requireRoom("sending binary data"), participant, true, data);
        } catch (CommandException e) {
            participant.send(false, Replies.error(e));
        }
    }

    private void join(String target) {
        if (!target.equals(room)) {
            if (room != null) {
                String left = room;
                leaveRoom();
                participant.send(false, Replies.leavedTheRoom(left));
            }
            rooms.join(app, target, participant);
            room = target;
            log.info("room join {}/{} participant {} from {}", app, room, participant.id(), participant.address());
        }
        participant.send(false, Replies.joinedTheRoom(room, participant.id()));
    }

    private void leave(String named) throws CommandException {
        String current = requireRoom("leaving a room");
        if (named != null && !named.equals(current)) {
            throw new CommandException(CommandException.NOT_IN_ROOM,
                    "Not in room '" + named + "' (in room '" + current + "').");
        }
        leaveRoom();
        participant.send(false, Replies.leavedTheRoom(current));
    }

    private String requireRoom(String what) throws CommandException {
        if (room == null) {
            throw new CommandException(CommandException.NOT_IN_ROOM, "Join a room before " + what + ".");
        }
        return room;
    }

    private void leaveRoom() {
        rooms.leave(app, room, participant);
        log.info("room leave {}/{} participant {} from {}", app, room, participant.id(), participant.address());
        room = null;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (room != null) {
            leaveRoom();
        }
        if (connected) {
            log.info("websocket disconnect {} participant {} from {}", app, participant.id(), participant.address());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("websocket connection of participant {} from {} failed: {}", participant.id(),
                participant.address(), cause.toString());
        ctx.close();
    }
}
