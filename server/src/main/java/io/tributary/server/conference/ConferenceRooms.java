package io.tributary.server.conference;

import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's conference rooms ("virtual streams" in Ant Media Server): who is in which room of which
 * app, and delivery of a message to a room's participants here. A room exists while someone is in it.
 * What a local participant sends also goes to the {@link RoomForwarder}; what comes from another node is
 * only delivered here.
 *
 * <p>Thread-safe. Membership changes are atomic per room (so a room never disappears under a joiner);
 * delivery reads a room's members without locking and writes to each on its own event loop.
 */
public final class ConferenceRooms {
    private static final Logger log = LoggerFactory.getLogger(ConferenceRooms.class);

    private record RoomKey(String app, String room) {
    }

    private final ConcurrentMap<RoomKey, Set<Participant>> rooms = new ConcurrentHashMap<>();
    private volatile RoomForwarder forwarder = RoomForwarder.LOCAL_ONLY;

    /**
     * Sends what local participants say to other nodes through {@code forwarder} from now on. A node
     * starts with {@link RoomForwarder#LOCAL_ONLY}; the cluster sets its own once it runs.
     */
    public void forwardWith(RoomForwarder forwarder) {
        this.forwarder = Objects.requireNonNull(forwarder, "forwarder");
    }

    /**
     * Delivers a message that a participant on another node sent: to every participant of the room
     * here, as it is (text is the origin's {@code receivedData} JSON). Never forwarded again.
     */
    public void deliverFromCluster(String app, String room, boolean binary, byte[] data) {
        deliver(new RoomKey(app, room), null, binary, data);
    }

    /** How many participants the room has on this node (0 for a room that does not exist here). */
    public int participants(String app, String room) {
        Set<Participant> members = rooms.get(new RoomKey(app, room));
        return members == null ? 0 : members.size();
    }

    /** The rooms of an app that have participants on this node, sorted. */
    public SortedSet<String> rooms(String app) {
        SortedSet<String> names = new TreeSet<>();
        for (RoomKey key : rooms.keySet()) {
            if (key.app().equals(app)) {
                names.add(key.room());
            }
        }
        return names;
    }

    void join(String app, String room, Participant participant) {
        rooms.compute(new RoomKey(app, room), (key, members) -> {
            Set<Participant> m = members != null ? members : ConcurrentHashMap.newKeySet();
            m.add(participant);
            return m;
        });
    }

    void leave(String app, String room, Participant participant) {
        rooms.computeIfPresent(new RoomKey(app, room), (key, members) -> {
            members.remove(participant);
            return members.isEmpty() ? null : members;
        });
    }

    /** What a local participant sent: to the room's other participants here, then to the other nodes. */
    void send(String app, String room, Participant from, boolean binary, byte[] data) {
        deliver(new RoomKey(app, room), from, binary, data);
        try {
            forwarder.forward(app, room, binary, data);
        } catch (RuntimeException e) {
            // The local room got the message; the cluster's trouble must not cost the sender its connection.
            log.warn("could not forward a message of room {}/{} to other nodes", app, room, e);
        }
    }

    private void deliver(RoomKey key, Participant from, boolean binary, byte[] data) {
        Set<Participant> members = rooms.get(key);
        if (members == null) {
            return;
        }
        for (Participant p : members) {
            if (p != from) {
                p.send(binary, data);
            }
        }
    }
}
