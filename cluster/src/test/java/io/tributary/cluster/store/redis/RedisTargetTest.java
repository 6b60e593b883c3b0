package io.tributary.cluster.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.cluster.store.StoreException;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which URIs a RedisStore accepts, and how messages name the server (never with its password). */
class RedisTargetTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            redis://10.0.0.5:6380                                      | Redis at 10.0.0.5:6380                    | 0
            redis://10.0.0.5                                           | Redis at 10.0.0.5:6379                    | 0
            redis://pw@10.0.0.5:6380/2                                 | Redis at 10.0.0.5:6380                    | 2
            redis://user:pw@10.0.0.5:6380                              | Redis at 10.0.0.5:6380                    | 0
            rediss://pw@cache.example.com:6390                         | Redis at cache.example.com:6390           | 0
            redis-sentinel://10.0.0.1:26379/0#mymaster                 | Redis master 'mymaster' via Sentinel 10.0.0.1:26379 | 0
            redis-sentinel://pw@10.0.0.1,10.0.0.2:26380/3#main         | Redis master 'main' via Sentinel 10.0.0.1:26379,10.0.0.2:26380 | 3
            """)
    void acceptedUrisAndHowMessagesNameThem(String uri, String description, int database) {
        RedisTarget target = RedisTarget.parse(uri, TIMEOUT);
        assertThat(target).hasToString(description);
        assertThat(target.uri().getDatabase()).isEqualTo(database);
        assertThat(target.uri().getTimeout()).as("the command timeout wins over ?timeout=").isEqualTo(TIMEOUT);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            mongodb://10.0.0.5:27017                      | unsupported Redis URI 'mongodb://10.0.0.5:27017'
            redis-socket:///tmp/redis.sock                | unsupported Redis URI
            10.0.0.5:6379                                 | unsupported Redis URI
            redis-sentinel://pw@10.0.0.1:26379/0          | Redis URI 'redis-sentinel://***@10.0.0.1:26379/0' names no master
            """)
    void refusedUrisSayWhy(String uri, String message) {
        assertThatThrownBy(() -> RedisTarget.parse(uri, TIMEOUT))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(message)
                .hasMessageNotContaining("pw@");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            redis://secret@host:6379          | redis://***@host:6379
            redis://user:secret@host:6379/1   | redis://***@host:6379/1
            redis://host:6379                 | redis://host:6379
            """)
    void passwordsAreHiddenInMessages(String uri, String redacted) {
        assertThat(RedisTarget.redact(uri)).isEqualTo(redacted);
    }
}
