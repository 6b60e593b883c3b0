package io.tributary.server.conference;

/**
 * A command the server refuses. {@link #definition()} is the stable code a client program checks; the
 * message says what was wrong for the developer reading it.
 */
final class CommandException extends Exception {
    /** The text frame is not JSON. */
    static final String INVALID_JSON = "invalidJson";
    /** JSON, but not a command: not an object, no command name, a missing, unknown or mistyped field. */
    static final String INVALID_MESSAGE = "invalidMessage";
    static final String UNKNOWN_COMMAND = "unknownCommand";
    static final String INVALID_ROOM_ID = "invalidRoomId";
    /** The command needs a room and the participant has joined none (or another one). */
    static final String NOT_IN_ROOM = "notInRoom";

    private final String definition;

    CommandException(String definition, String message) {
        super(message, null, false, false);
        this.definition = definition;
    }

    String definition() {
        return definition;
    }
}
