package io.tributary.cluster.store.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A plain Lettuce client for tests that look at what the store left in Redis, or listen to its channel. */
final class RawRedis implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private StatefulRedisPubSubConnection<String, String> pubSub;

    RawRedis(String uri) {
        client = RedisClient.create(uri);
        try {
            connection = client.connect();
        } catch (RuntimeException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            throw e;
        }
    }

    RedisCommands<String, String> commands() {
        return connection.sync();
    }

    void flushAll() {
        commands().flushall();
    }

    /** Subscribes to {@code channel}; the returned list fills with every message published on it. */
    List<String> listen(String channel) {
        List<String> messages = new CopyOnWriteArrayList<>();
        pubSub = client.connectPubSub();
        pubSub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String ch, String message) {
                messages.add(message);
            }
        });
        pubSub.sync().subscribe(channel);
        return messages;
    }

    @Override
    public void close() {
        try {
            if (pubSub != null) {
                pubSub.close();
            }
            connection.close();
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
