package io.tributary.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Real ffmpeg and ffprobe, as publishers and players use them. */
public final class Ffmpeg {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Ffmpeg() {
    }

    /** A synthetic H.264 1280x720 30 fps (2 s GOP) + AAC stream pushed in real time to {@code url}. */
    public static ManagedProcess publish(String url, Duration length) {
        return publish(url, length, "aac");
    }

    /** As {@link #publish(String, Duration)} with another audio encoder (e.g. libmp3lame). */
    public static ManagedProcess publish(String url, Duration length, String audioCodec) {
        return publish(url, length, audioCodec, "1280x720");
    }

    /** As {@link #publish(String, Duration, String)} at another picture size (e.g. 640x360 to spare the CPU). */
    public static ManagedProcess publish(String url, Duration length, String audioCodec, String size) {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
                "-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=30",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-g", "60",
                "-c:a", audioCodec, "-ar", "44100", "-t", String.valueOf(length.toSeconds()), "-f", "flv", url));
        return ManagedProcess.start(cmd);
    }

    /**
     * A 640x360 H.264 + AAC stream at a constant bit rate ({@code videoKbps} of video, padded with filler so it
     * does not fall short on the easy test picture, plus 64 kbit/s of audio), for tests that check rates.
     */
    public static ManagedProcess publishConstantBitrate(String url, Duration length, int videoKbps) {
        String rate = videoKbps + "k";
        return ManagedProcess.start(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
                "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-g", "60",
                "-b:v", rate, "-maxrate", rate, "-bufsize", (videoKbps / 2) + "k", "-x264-params", "nal-hrd=cbr",
                "-c:a", "aac", "-b:a", "64k", "-ar", "44100", "-t", String.valueOf(length.toSeconds()), "-f", "flv",
                url));
    }

    /**
     * One 640x360 H.264 + AAC encode (GOP 1 s) published to several RTMP URLs at once (ffmpeg's tee muxer),
     * for {@code length}.
     */
    public static ManagedProcess publishToAll(Duration length, String... urls) {
        return ManagedProcess.start(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
                "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-f", "lavfi", "-i", "sine=frequency=440",
                "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-g", "30", "-c:a", "aac",
                "-ar", "44100", "-t", String.valueOf(length.toSeconds()), "-map", "0:v", "-map", "1:a",
                // tee's FLV muxers take the codec configuration from the encoders' global headers
                "-flags", "+global_header", "-f", "tee",
                java.util.Arrays.stream(urls).map(u -> "[f=flv:onfail=ignore]" + u)
                        .collect(java.util.stream.Collectors.joining("|"))));
    }

    /** A player: ffmpeg reads a live URL (RTMP, HTTP-FLV, HLS) and copies it nowhere until closed. */
    public static ManagedProcess play(String url) {
        return ManagedProcess.start(List.of("ffmpeg", "-hide_banner", "-v", "error", "-nostdin", "-rw_timeout",
                "20000000", "-i", url, "-c", "copy", "-f", "null", "-"));
    }

    /** What ffprobe saw of a stream: its tracks and the packets it read. */
    public record Probe(int exitCode, List<Track> tracks, List<Packet> packets, String stderr) {

        public Track video() {
            return tracks.stream().filter(t -> t.type().equals("video")).findFirst()
                    .orElseThrow(() -> new AssertionError("no video track; ffprobe said: " + stderr));
        }

        public Track audio() {
            return tracks.stream().filter(t -> t.type().equals("audio")).findFirst()
                    .orElseThrow(() -> new AssertionError("no audio track; ffprobe said: " + stderr));
        }

        public List<Packet> packets(String type) {
            return packets.stream().filter(p -> p.type().equals(type)).toList();
        }
    }

    public record Track(String type, String codec, int width, int height) {
    }

    public record Packet(String type, double dts, boolean keyframe) {
    }

    /** Probes a URL, reading {@code seconds} of it. */
    public static Probe probe(String url, int seconds) {
        try (ManagedProcess p = ManagedProcess.start(List.of("ffprobe", "-hide_banner", "-v", "error",
                "-rw_timeout", "10000000", "-read_intervals", "%+" + seconds,
                "-show_entries", "stream=codec_type,codec_name,width,height:packet=codec_type,dts_time,flags",
                "-of", "json", url))) {
            int code = p.waitFor(Duration.ofSeconds(seconds + 20L));
            return parse(code, p.stdout(), p.stderr());
        }
    }

    private static Probe parse(int code, String out, String err) {
        List<Track> tracks = new ArrayList<>();
        List<Packet> packets = new ArrayList<>();
        if (!out.isBlank()) {
            try {
                JsonNode root = JSON.readTree(out);
                for (JsonNode s : root.path("streams")) {
                    tracks.add(new Track(s.path("codec_type").asText(), s.path("codec_name").asText(),
                            s.path("width").asInt(), s.path("height").asInt()));
                }
                for (JsonNode p : root.path("packets")) {
                    packets.add(new Packet(p.path("codec_type").asText(), p.path("dts_time").asDouble(Double.NaN),
                            p.path("flags").asText().startsWith("K")));
                }
            } catch (IOException e) {
                throw new AssertionError("ffprobe printed something that is not JSON: " + out, e);
            }
        }
        return new Probe(code, tracks, packets, err);
    }

    /** Decodes {@code seconds} of video with ffmpeg; returns how many frames it decoded, failing on decode errors. */
    public static int decodedVideoFrames(String url, int seconds) {
        try (ManagedProcess p = ManagedProcess.start(List.of("ffmpeg", "-hide_banner", "-v", "error", "-nostdin",
                "-rw_timeout", "10000000", "-i", url, "-t", String.valueOf(seconds), "-map", "0:v", "-f", "framecrc",
                "-"))) {
            int code = p.waitFor(Duration.ofSeconds(seconds + 20L));
            if (code != 0) {
                throw new AssertionError("ffmpeg could not decode " + url + " (exit " + code + "): " + p.stderr());
            }
            return (int) p.stdout().lines().filter(l -> !l.startsWith("#")).count();
        }
    }
}
