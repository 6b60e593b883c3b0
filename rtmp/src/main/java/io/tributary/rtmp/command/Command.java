package io.tributary.rtmp.command;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tributary.media.amf.Amf0;
import io.tributary.media.amf.AmfException;
import io.tributary.media.amf.AmfObject;
import io.tributary.rtmp.chunk.MessageType;
import io.tributary.rtmp.chunk.RtmpMessage;
import io.tributary.rtmp.chunk.RtmpProtocolException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An RTMP remote call: name, transaction id, command object and arguments, as carried by AMF0 command
 * messages (type 20) and AMF3 command messages (type 17, whose AMF0 body follows a format byte).
 */
public record Command(String name, double transactionId, Object commandObject, List<Object> args) {

    public static Command of(String name, double transactionId, Object commandObject, Object... args) {
        return new Command(name, transactionId, commandObject, new ArrayList<>(Arrays.asList(args)));
    }

    /** Decodes a command message; does not release it. */
    public static Command decode(RtmpMessage message) {
        ByteBuf body = message.payload().duplicate();
        if (message.typeId() == MessageType.COMMAND_AMF3 && body.isReadable()) {
            body.skipBytes(1);
        }
        List<Object> values;
        try {
            values = Amf0.readAll(body);
        } catch (AmfException e) {
            throw new RtmpProtocolException("malformed command: " + e.getMessage());
        }
        if (values.size() < 2 || !(values.get(0) instanceof String name) || !(values.get(1) instanceof Number txn)) {
            throw new RtmpProtocolException("a command must start with a name and a transaction id");
        }
        Object commandObject = values.size() > 2 ? values.get(2) : null;
        List<Object> args = values.size() > 3 ? new ArrayList<>(values.subList(3, values.size())) : List.of();
        return new Command(name, txn.doubleValue(), commandObject, args);
    }

    public RtmpMessage toMessage(ByteBufAllocator alloc, int chunkStreamId, int streamId) {
        ByteBuf out = alloc.buffer(128);
        Amf0.write(out, name);
        Amf0.write(out, transactionId);
        Amf0.write(out, commandObject);
        for (Object arg : args) {
            Amf0.write(out, arg);
        }
        return new RtmpMessage(chunkStreamId, MessageType.COMMAND_AMF0, streamId, 0, out);
    }

    public Object arg(int index) {
        return index < args.size() ? args.get(index) : null;
    }

    public String stringArg(int index) {
        return arg(index) instanceof String s ? s : null;
    }

    public double numberArg(int index, double fallback) {
        return arg(index) instanceof Number n ? n.doubleValue() : fallback;
    }

    public boolean booleanArg(int index, boolean fallback) {
        return arg(index) instanceof Boolean b ? b : fallback;
    }

    public AmfObject commandObjectAsObject() {
        return commandObject instanceof AmfObject o ? o : new AmfObject();
    }
}
