package io.tributary.bench.run;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a server sent on the wire: the kernel's {@code bytes_acked} of every established TCP connection from
 * its listening port ({@code ss -tin}), so the count includes protocol overhead (RTMP chunk headers, HTTP
 * chunking) and does not depend on how the server writes (write, writev or send, which {@code /proc/<pid>/io}
 * would not all count).
 */
public final class SocketEgress {
    private SocketEgress() {
    }

    /** Bytes acknowledged so far on each connection from {@code port}, by peer address. */
    public static Map<String, Long> snapshot(int port) {
        List<String> cmd = List.of("ss", "-tinH", "state", "established", "( sport = :" + port + " )");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("ss failed: " + out.trim());
            }
            return parse(out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run ss (Debian package iproute2): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running ss", e);
        }
    }

    /**
     * Parses {@code ss -tinH state established} output: a line per socket ({@code Recv-Q Send-Q local peer})
     * followed by an indented line of TCP details holding {@code bytes_acked:N}.
     */
    public static Map<String, Long> parse(String ssOutput) {
        Map<String, Long> acked = new HashMap<>();
        String peer = null;
        for (String line : ssOutput.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (!Character.isWhitespace(line.charAt(0))) {
                String[] f = line.trim().split("\\s+");
                peer = f.length >= 4 ? f[3] : null;
                continue;
            }
            if (peer != null) {
                acked.put(peer, value(line, "bytes_acked:"));
                peer = null;
            }
        }
        return acked;
    }

    /** Bytes sent between two snapshots: connections in both count their growth, new ones all they sent. */
    public static long between(Map<String, Long> before, Map<String, Long> after) {
        long sum = 0;
        for (Map.Entry<String, Long> e : after.entrySet()) {
            sum += e.getValue() - Math.min(e.getValue(), before.getOrDefault(e.getKey(), 0L));
        }
        return sum;
    }

    private static long value(String line, String key) {
        int at = line.indexOf(key);
        if (at < 0) {
            return 0;
        }
        int start = at + key.length();
        int end = start;
        while (end < line.length() && Character.isDigit(line.charAt(end))) {
            end++;
        }
        return Long.parseLong(line.substring(start, end));
    }
}
