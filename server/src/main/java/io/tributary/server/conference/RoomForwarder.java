package io.tributary.server.conference;

/**
 * Where a room's messages go beyond this node. {@link ConferenceRooms} calls it once for every message a
 * local participant sends, after delivering it here. The receiving node hands the message to
 * {@link ConferenceRooms#deliverFromCluster}, which never forwards again, so a message crosses the
 * cluster once.
 *
 * <p>It is called on the sender's event loop: an implementation must not block (hand the message to its
 * own executor) and should not throw (a failure is logged and the participant carries on).
 */
@FunctionalInterface
public interface RoomForwarder {

    /** For a node on its own: its rooms end at this node. */
    RoomForwarder LOCAL_ONLY = (app, room, binary, data) -> {
    };

    /**
     * @param binary whether {@code data} is a binary frame's bytes; otherwise it is the complete
     *               {@code receivedData} JSON (UTF-8), which the other nodes deliver as it is
     */
    void forward(String app, String room, boolean binary, byte[] data);
}
