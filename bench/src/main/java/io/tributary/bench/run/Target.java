package io.tributary.bench.run;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A media server under test, started by the benchmark on free loopback ports and pinned to one core. The
 * benchmark publishes to it and plays from it, samples its processes, and stops it at the end.
 */
public interface Target extends AutoCloseable {
    /** {@code tributary} or {@code nginx-rtmp}: the name the command line and the tables use. */
    String name();

    /** What exactly ran, e.g. {@code tributary 0.1.0-SNAPSHOT} or {@code nginx/1.22.1, libnginx-mod-rtmp 1:1.2.2}. */
    String version();

    String host();

    int rtmpPort();

    /** The HTTP port serving {@code /{app}/{stream}.flv} and HLS, or empty when the server has neither. */
    Optional<Integer> httpFlvPort();

    /** How it was started, for the raw log. */
    String commandLine();

    /** The processes whose CPU and memory are the target's (nginx: master and workers). */
    List<Long> pids();

    /** Whether every process of the target is still running. */
    boolean isAlive();

    /** Why the target stopped, with the last lines of its log, for a report after it died. */
    String deathReport();

    /**
     * For a JVM: the heap in use right after a full collection, in kilobytes, which is what the players
     * really hold (RSS also counts heap the JVM keeps committed after it grew). Empty for other servers,
     * whose RSS is their memory.
     */
    default OptionalLong liveHeapKb() {
        return OptionalLong.empty();
    }

    /** Stops the target and everything it started; afterwards none of its processes is left. */
    @Override
    void close();

    /** The port players of {@code protocol} ({@code rtmp}, {@code flv} or {@code hls}) connect to. */
    default int port(String protocol) {
        return switch (protocol) {
            case "rtmp" -> rtmpPort();
            case "flv", "hls" -> httpFlvPort().orElseThrow(
                    () -> new IllegalArgumentException(name() + " has no HTTP-FLV or HLS (players can use rtmp only)"));
            default -> throw new IllegalArgumentException("unknown protocol " + protocol);
        };
    }

    default String rtmpUrl(String app, String stream) {
        return "rtmp://" + host() + ":" + rtmpPort() + "/" + app + "/" + stream;
    }
}
