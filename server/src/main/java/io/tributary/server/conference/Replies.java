package io.tributary.server.conference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.cluster.broadcast.Json;

/**
 * The JSON text frames the server sends. Field names and their order are part of the protocol
 * (docs/api.md); the two reply names keep Ant Media Server's spelling, "leaved" included.
 */
final class Replies {

    private Replies() {
    }

    static byte[] joinedTheRoom(String room, String participantId) {
        return bytes(reply("joinedTheRoom").put("room", room).put("participantId", participantId));
    }

    static byte[] leavedTheRoom(String room) {
        return bytes(reply("leavedTheRoom").put("room", room));
    }

    static byte[] receivedData(String room, String from, String data) {
        return bytes(reply("receivedData").put("room", room).put("from", from).put("data", data));
    }

    static byte[] error(CommandException e) {
        return bytes(reply("error").put("definition", e.definition()).put("message", e.getMessage()));
    }

    private static ObjectNode reply(String command) {
        return Json.mapper().createObjectNode().put("command", command);
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return Json.mapper().writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a reply", e);
        }
    }
}
