package io.tributary.bench.publish;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Small real FLV files made with ffmpeg, for tests of the publisher and the players. */
public final class TestFlvFiles {

    private TestFlvFiles() {
    }

    /** {@code seconds} of H.264 320x240 25 fps with a keyframe a second (300 kbit/s) and AAC sine, in {@code dir}. */
    public static Path h264Aac(Path dir, int seconds) {
        Path file = dir.resolve("test-" + seconds + "s.flv");
        run(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-c:v", "libx264", "-preset", "veryfast", "-g", "25", "-b:v", "300k",
                "-c:a", "aac", "-b:a", "64k", "-t", String.valueOf(seconds), "-f", "flv", file.toString()));
        return file;
    }

    /** Runs a command to its end; fails the test if it fails. */
    public static String run(List<String> command) {
        try {
            Path out = Files.createTempFile("bench-test", ".out");
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError(command.get(0) + " did not finish within 60 s");
                }
                String output = Files.readString(out);
                if (p.exitValue() != 0) {
                    throw new AssertionError(command + " failed (exit " + p.exitValue() + "): " + output);
                }
                return output;
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
