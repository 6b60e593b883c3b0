package io.tributary.rtmp.client;

import io.tributary.media.Frame;
import io.tributary.media.amf.AmfObject;

/** Receives what a played stream delivers, on the connection's event loop. */
public interface PlayListener {

    /** A media or data frame with the server's timestamp; lent for the duration of the call. */
    void onFrame(Frame frame);

    /** Every onStatus of the stream (Play.Start, Play.UnpublishNotify, Play.Stop, ...). */
    default void onStatus(String code, AmfObject info) {
    }

    /** The connection closed. */
    default void onClose() {
    }
}
