package io.tributary.bench.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The files the benchmark publishes, made once with ffmpeg and kept in a cache directory ({@code bench/media}
 * by default, not in git): 60 s of H.264 + AAC at a fixed bit rate, 30 fps, a keyframe every 2 s, no
 * B-frames. A file is made again when it is missing or was made by a different recipe (kept beside it).
 */
public final class TestMedia {

    /** One test stream. {@code name} is what {@code --bitrate} takes. */
    public enum Variant {
        V600K("600k", 640, 360, "536k", "64k"),
        V2500K("2500k", 1280, 720, "2372k", "128k");

        private final String name;
        private final int width;
        private final int height;
        private final String videoRate;
        private final String audioRate;

        Variant(String name, int width, int height, String videoRate, String audioRate) {
            this.name = name;
            this.width = width;
            this.height = height;
            this.videoRate = videoRate;
            this.audioRate = audioRate;
        }

        public String label() {
            return name;
        }

        public String fileName() {
            return name + ".flv";
        }

        public static Variant of(String bitrate) {
            for (Variant v : values()) {
                if (v.name.equalsIgnoreCase(bitrate)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("unknown bit rate " + bitrate + "; test files exist for "
                    + Arrays.stream(values()).map(Variant::label).toList());
        }

        /**
         * The ffmpeg arguments after the input options. Film-grain noise over the test pattern makes the
         * encoder spend its whole budget, as with a camera; without it the pattern compresses to a fraction of
         * the rate and the stream would not be the bit rate it claims. maxrate = bitrate with a one-second
         * buffer keeps every second near the rate (about CBR) while a keyframe may still be larger than the
         * other frames.
         */
        List<String> recipe() {
            String video = "testsrc2=size=" + width + "x" + height + ":rate=30,noise=alls=12:allf=t";
            return List.of("-f", "lavfi", "-i", video,
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "60", "-map", "0:v", "-map",
                    "1:a", "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "main", "-tune", "zerolatency",
                    "-pix_fmt", "yuv420p", "-g", "60", "-keyint_min", "60", "-sc_threshold", "0", "-b:v", videoRate,
                    "-maxrate", videoRate, "-bufsize", videoRate, "-c:a", "aac", "-b:a", audioRate, "-ac", "2",
                    "-f", "flv");
        }
    }

    private TestMedia() {
    }

    public static Path defaultDirectory() {
        return Repository.root().resolve("bench/media");
    }

    /** The file for {@code variant} in {@code dir}, made first when it is missing or stale. */
    public static Path ensure(Variant variant, Path dir) {
        Path file = dir.resolve(variant.fileName());
        Path recipeFile = dir.resolve(variant.fileName() + ".recipe");
        String recipe = String.join(" ", variant.recipe()) + "\n";
        try {
            if (Files.isRegularFile(file) && Files.isRegularFile(recipeFile)
                    && Files.readString(recipeFile).equals(recipe)) {
                return file;
            }
            Files.createDirectories(dir);
            Path partial = dir.resolve(variant.fileName() + ".partial");
            List<String> cmd = new ArrayList<>(
                    List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y"));
            cmd.addAll(variant.recipe());
            cmd.add(partial.toString());
            run(cmd);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(recipeFile, recipe);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + file, e);
        }
    }

    /** What ffprobe says of a file: codecs, size, duration and the overall bit rate. */
    public static String describe(Path file) {
        return run(List.of("ffprobe", "-v", "error", "-show_entries",
                "stream=codec_name,profile,width,height,r_frame_rate,bit_rate:format=duration,bit_rate,size", "-of",
                "compact=p=0", file.toString())).trim();
    }

    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(command.get(0) + " failed: " + out.trim());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0) + " (apt-get install ffmpeg)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }
}
