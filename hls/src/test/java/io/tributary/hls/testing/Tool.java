package io.tributary.hls.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs ffmpeg or ffprobe in a test's temp directory and hands back what it printed. */
public final class Tool {
    private static final long TIMEOUT_SECONDS = 60;

    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        /** Exit status 0 and nothing on stderr, which with {@code -v error} means no error at all. */
        public Result assertClean() {
            if (exitCode != 0 || !stderr.isBlank()) {
                throw new AssertionError(String.join(" ", command) + " exited with " + exitCode + ":\n" + stderr);
            }
            return this;
        }
    }

    private Tool() {
    }

    public static Result run(Path dir, String... command) {
        Path out = dir.resolve(".tool.out");
        Path err = dir.resolve(".tool.err");
        Process process = null;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError(command[0] + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(List.of(command), process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (process != null) {
                process.destroyForcibly();
            }
            try {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            } catch (IOException ignored) {
                // Inside a @TempDir, which JUnit removes anyway.
            }
        }
    }
}
