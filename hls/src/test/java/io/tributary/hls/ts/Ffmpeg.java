package io.tributary.hls.ts;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Real ffmpeg and ffprobe, run to make test media and to see segments as a player's demuxer does. */
final class Ffmpeg {

    /** What a run printed. */
    record Run(int exitCode, String stdout, String stderr) {
    }

    private Ffmpeg() {
    }

    /**
     * Six seconds of 320x240 25 fps H.264 with two B-frames (so there are composition offsets) and a
     * keyframe every 2 s, with 44.1 kHz mono AAC, as an FLV file: what an RTMP publisher sends.
     */
    static Path testStream(Path dir) {
        Path flv = dir.resolve("in.flv");
        Run run = run(dir, "ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440", "-c:v", "libx264", "-g", "50", "-bf", "2", "-c:a", "aac",
                "-t", "6", "-f", "flv", flv.toString());
        if (run.exitCode() != 0) {
            throw new AssertionError("ffmpeg could not make the test stream: " + run.stderr());
        }
        return flv;
    }

    /**
     * The lines of one section kind ({@code packet}, {@code stream}) of ffprobe's compact output, as
     * key=value maps ({@code codec_type}, {@code pts}, {@code flags}, ...).
     */
    static List<Map<String, String>> rows(String compactOutput, String section) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : compactOutput.split("\n")) {
            String[] fields = line.split("\\|");
            if (!fields[0].equals(section)) {
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 1; i < fields.length; i++) {
                int eq = fields[i].indexOf('=');
                if (eq > 0) { // a bare name ("side_data") opens a subsection, whose fields follow
                    row.putIfAbsent(fields[i].substring(0, eq), fields[i].substring(eq + 1));
                }
            }
            rows.add(row);
        }
        return rows;
    }

    /** Runs a tool in {@code dir}, its output going to files there; fails the test when it is not installed. */
    static Run run(Path dir, String... command) {
        try {
            Path out = Files.createTempFile(dir, command[0], ".out");
            Path err = Files.createTempFile(dir, command[0], ".err");
            Process p;
            try {
                p = new ProcessBuilder(command).directory(dir.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            } catch (IOException e) {
                throw new AssertionError(command[0] + " is not installed (./tributary test installs it)", e);
            }
            try {
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
                }
            } finally {
                p.destroyForcibly();
            }
            Run run = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return run;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
