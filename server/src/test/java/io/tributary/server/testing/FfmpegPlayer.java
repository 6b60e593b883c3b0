package io.tributary.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real ffmpeg watching a live URL for as long as the test wants: it decodes the video and prints one
 * framecrc line per decoded frame, flushed at once, so the test sees when each frame was decoded and can
 * tell a player that sat through a pause from one that reconnected (the process and its connection are
 * the same throughout). Closing it stops ffmpeg.
 */
public final class FfmpegPlayer implements AutoCloseable {
    /** One decoded video frame: its presentation time in the stream's time base, and when it was decoded. */
    public record Decoded(long pts, long atNanos) {
    }

    private final String url;
    private final Process process;
    private final Path stderr;
    private final List<Decoded> frames = new CopyOnWriteArrayList<>();
    private final List<String> header = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private FfmpegPlayer(String url, Process process, Path stderr) {
        this.url = url;
        this.process = process;
        this.stderr = stderr;
        this.reader = new Thread(this::read, "ffmpeg-player-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts watching {@code url}; the player waits up to 30 s for data before it gives up. */
    public static FfmpegPlayer watch(String url) {
        try {
            Path err = Files.createTempFile("tributary-player", ".err");
            Process p = new ProcessBuilder(List.of("ffmpeg", "-hide_banner", "-v", "error", "-nostdin",
                    "-rw_timeout", "30000000", "-i", url, "-map", "0:v", "-f", "framecrc", "-flush_packets", "1",
                    "-"))
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            return new FfmpegPlayer(url, p, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start ffmpeg for " + url, e);
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.US_ASCII))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("#")) {
                    header.add(line);
                    continue;
                }
                // stream index, dts, pts, duration, size, crc
                String[] f = line.split(",");
                if (f.length >= 3) {
                    frames.add(new Decoded(Long.parseLong(f[2].trim()), System.nanoTime()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // The process was stopped, or printed something else: what was read stays.
        }
    }

    public String url() {
        return url;
    }

    /** How many video frames it decoded so far. */
    public int frameCount() {
        return frames.size();
    }

    /** Every decoded frame so far, in order. */
    public List<Decoded> frames() {
        return new ArrayList<>(frames);
    }

    /** The decoded picture size framecrc announced ("640x360"), or null before the first frame. */
    public String dimensions() {
        return header.stream().filter(l -> l.startsWith("#dimensions 0:")).map(l -> l.substring(14).trim())
                .findFirst().orElse(null);
    }

    /** Whether ffmpeg is still running, that is still connected and watching. */
    public boolean isWatching() {
        return process.isAlive();
    }

    /** What ffmpeg printed on stderr (decode errors, connection errors). */
    public String errors() {
        try {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            reader.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(stderr);
        } catch (IOException ignored) {
            // A temp file; the OS cleans it up if we cannot.
        }
    }
}
