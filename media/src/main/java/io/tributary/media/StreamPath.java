package io.tributary.media;

import java.util.Objects;

/** The cluster-wide name of a live stream: {@code {app}/{streamId}}. */
public record StreamPath(String app, String streamId) {

    public StreamPath {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(streamId, "streamId");
    }

    /** Parses {@code app/streamId}. */
    public static StreamPath parse(String path) {
        int slash = path.indexOf('/');
        if (slash <= 0 || slash == path.length() - 1 || path.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("stream path must be {app}/{streamId}: " + path);
        }
        return new StreamPath(path.substring(0, slash), path.substring(slash + 1));
    }

    @Override
    public String toString() {
        return app + '/' + streamId;
    }
}
