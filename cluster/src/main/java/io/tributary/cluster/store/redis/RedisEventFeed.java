package io.tributary.cluster.store.redis;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.tributary.cluster.broadcast.Json;
import io.tributary.cluster.store.LocalEvents;
import io.tributary.cluster.store.StoreEvent;
import java.io.IOException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's one pub/sub connection, subscribed to {@link RedisKeys#EVENTS} from start-up until close, so
 * that a listener added later misses nothing the subscription already carries. Lettuce reconnects it after
 * an outage and subscribes it again; what was published meanwhile is lost (events are best effort, see
 * {@link StoreEvent}). Messages arrive on a Lettuce I/O thread, which must never block: they are decoded
 * there and handed to {@link LocalEvents}, whose own thread runs the listeners.
 */
final class RedisEventFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisEventFeed.class);

    private final StatefulRedisPubSubConnection<String, String> connection;
    private final LocalEvents events;

    private RedisEventFeed(StatefulRedisPubSubConnection<String, String> connection, LocalEvents events) {
        this.connection = connection;
        this.events = events;
    }

    /** Connects and subscribes; throws Lettuce's exception when it cannot (the caller words it). */
    static RedisEventFeed open(RedisClient client, RedisURI uri) {
        LocalEvents events = new LocalEvents("tributary-redis-events");
        StatefulRedisPubSubConnection<String, String> connection = null;
        try {
            connection = client.connectPubSub(uri);
            connection.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    StoreEvent event = decode(message);
                    if (event != null) {
                        events.publish(event);
                    }
                }
            });
            connection.sync().subscribe(RedisKeys.EVENTS);
            return new RedisEventFeed(connection, events);
        } catch (RuntimeException e) {
            if (connection != null) {
                connection.close();
            }
            events.close();
            throw e;
        }
    }

    AutoCloseable add(Consumer<StoreEvent> listener) {
        return events.add(listener);
    }

    @Override
    public void close() {
        try {
            connection.close();
        } finally {
            events.close();
        }
    }

    /**
     * Reads what the scripts publish: {@code {"type":..., "app":..., "key":..., "version":...}}, with app
     * or key absent where StoreEvent has null. Returns null (and logs) for a message it cannot read, so one
     * bad publisher on the channel cannot stop the feed.
     */
    static StoreEvent decode(String message) {
        try {
            JsonNode json = Json.mapper().readTree(message);
            StoreEvent.Type type = StoreEvent.Type.valueOf(json.path("type").asText());
            JsonNode version = json.path("version");
            if (!version.isNumber()) {
                throw new IOException("no version");
            }
            return new StoreEvent(type, text(json, "app"), text(json, "key"), version.asLong());
        } catch (IOException | IllegalArgumentException e) {
            log.warn("ignoring an unreadable message on {}: {} ({})", RedisKeys.EVENTS, message, e.getMessage());
            return null;
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
