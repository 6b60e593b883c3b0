package io.tributary.rtmp.client;

/** The server refused a call: carries the onStatus/_error code (e.g. NetStream.Publish.BadName). */
public final class RtmpStatusException extends RuntimeException {
    private final String code;

    public RtmpStatusException(String code, String description) {
        super(code + ": " + description);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
