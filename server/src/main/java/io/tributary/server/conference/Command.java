package io.tributary.server.conference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.cluster.broadcast.Json;
import io.tributary.cluster.broadcast.StreamIds;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One JSON command a participant sends, checked as strictly as the REST API checks its bodies: unknown
 * fields and wrong types are refused, so a client's typo is an error it sees, not a silently ignored value.
 *
 * @param name {@link #JOIN_ROOM}, {@link #LEAVE_FROM_ROOM} or {@link #SEND_DATA}
 * @param room the room to join, or the room to leave (optional for leaveFromRoom); a valid stream id
 * @param data the text to send to the room (sendData only)
 */
record Command(String name, String room, String data) {
    static final String JOIN_ROOM = "joinRoom";
    static final String LEAVE_FROM_ROOM = "leaveFromRoom";
    static final String SEND_DATA = "sendData";

    private static final String COMMAND = "command";
    private static final String ROOM = "room";
    private static final String DATA = "data";
    private static final Map<String, Set<String>> FIELDS = Map.of(
            JOIN_ROOM, Set.of(COMMAND, ROOM),
            LEAVE_FROM_ROOM, Set.of(COMMAND, ROOM),
            SEND_DATA, Set.of(COMMAND, DATA));
    private static final List<String> NAMES = List.of(JOIN_ROOM, LEAVE_FROM_ROOM, SEND_DATA);

    static Command parse(String text) throws CommandException {
        JsonNode json = readTree(text);
        if (!json.isObject()) {
            throw new CommandException(CommandException.INVALID_MESSAGE,
                    "A message must be a JSON object with a \"command\".");
        }
        JsonNode command = json.get(COMMAND);
        if (command == null || !command.isTextual()) {
            throw new CommandException(CommandException.INVALID_MESSAGE, "A message needs a \"command\" string.");
        }
        String name = command.asText();
        Set<String> allowed = FIELDS.get(name);
        if (allowed == null) {
            throw new CommandException(CommandException.UNKNOWN_COMMAND,
                    "Unknown command '" + name + "': use one of " + String.join(", ", NAMES) + ".");
        }
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!allowed.contains(field)) {
                throw new CommandException(CommandException.INVALID_MESSAGE,
                        "Unknown field '" + field + "' in " + name + ".");
            }
        }
        return switch (name) {
            case JOIN_ROOM -> new Command(name, room(json, name, true), null);
            case LEAVE_FROM_ROOM -> new Command(name, room(json, name, false), null);
            default -> new Command(name, null, string(json, DATA, name, true));
        };
    }

    private static JsonNode readTree(String text) throws CommandException {
        try {
            JsonNode json = Json.mapper().readTree(text);
            if (json == null || json.isMissingNode()) {
                throw new CommandException(CommandException.INVALID_JSON, "The message is empty.");
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new CommandException(CommandException.INVALID_JSON, "The message is not valid JSON: "
                    + e.getOriginalMessage());
        }
    }

    private static String room(JsonNode json, String command, boolean required) throws CommandException {
        String room = string(json, ROOM, command, required);
        if (room != null && !StreamIds.isValid(room)) {
            throw new CommandException(CommandException.INVALID_ROOM_ID, "Invalid room id '" + room + "': use 1 to "
                    + StreamIds.MAX_LENGTH + " letters, digits, '_', '-' or '.'.");
        }
        return room;
    }

    private static String string(JsonNode json, String field, String command, boolean required)
            throws CommandException {
        JsonNode value = json.get(field);
        if (value == null) {
            if (required) {
                throw new CommandException(CommandException.INVALID_MESSAGE,
                        command + " needs a \"" + field + "\" string.");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new CommandException(CommandException.INVALID_MESSAGE,
                    "\"" + field + "\" in " + command + " must be a string.");
        }
        return value.asText();
    }
}
