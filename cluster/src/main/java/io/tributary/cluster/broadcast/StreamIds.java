package io.tributary.cluster.broadcast;

/**
 * The rule for stream ids (and app names), as in Ant Media Server: ASCII letters, digits,
 * {@code _}, {@code -} and {@code .}, 1 to {@value #MAX_LENGTH} characters. Ids appear as URL
 * path segments and file names, so {@code .} and {@code ..} are refused outright.
 */
public final class StreamIds {

    public static final int MAX_LENGTH = 128;

    private StreamIds() {}

    public static boolean isValid(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH || id.equals(".") || id.equals("..")) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            if (!isAllowed(id.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Returns {@code id}, or throws an IllegalArgumentException that says what {@code what} was wrong. */
    public static String requireValid(String id, String what) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("invalid " + what + " '" + id + "': use 1 to " + MAX_LENGTH
                    + " letters, digits, '_', '-' or '.'");
        }
        return id;
    }

    private static boolean isAllowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '-' || c == '.';
    }
}
