package io.tributary.cluster.store;

import io.tributary.cluster.broadcast.Broadcast;

/** A broadcast together with the application it belongs to. */
public record AppBroadcast(String app, Broadcast broadcast) {
}
