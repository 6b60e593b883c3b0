package io.tributary.server.broadcast;

import io.tributary.server.testing.TestNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real encoder: ffmpeg publishing a 1280x720 H.264 + AAC test pattern over RTMP, as a user's OBS or
 * ffmpeg would. {@link #close()} kills it and waits for it, so no test leaves one running.
 */
final class FfmpegPublisher implements AutoCloseable {
    private final Process process;
    private final Path log;

    private FfmpegPublisher(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static FfmpegPublisher start(TestNode node, String streamId) {
        try {
            Path log = Files.createTempFile("ffmpeg-", ".log");
            List<String> command = List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
                    "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30",
                    "-f", "lavfi", "-i", "sine",
                    "-c:v", "libx264", "-preset", "veryfast", "-g", "60", "-c:a", "aac", "-t", "30",
                    "-f", "flv", node.rtmpUrl("live", streamId));
            Process p = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(log.toFile())
                    .start();
            p.getOutputStream().close();
            return new FfmpegPublisher(p, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start ffmpeg", e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** What ffmpeg printed (errors only), for failure messages. */
    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Waits for ffmpeg to exit by itself (after the server closed its connection). */
    boolean waitForExit(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a leftover temp file is harmless
        }
    }
}
