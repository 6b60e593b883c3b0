package io.tributary.bench.load;

/**
 * One level of load: {@code players} players of one protocol ({@code rtmp} or {@code flv}; {@code hls}
 * once the server has it) watching {@code app/stream} on {@code host:port}, run on {@code eventLoops}
 * Netty event loops in this process, connecting at most {@code connectsPerSecond} per second.
 */
public record LoadSpec(String protocol, String host, int port, String app, String stream, int players,
                       int eventLoops, int connectsPerSecond) {
}
