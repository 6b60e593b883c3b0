package io.tributary.server.hls;

import io.tributary.hls.HlsMode;
import io.tributary.hls.HlsStream;
import io.tributary.hls.InitSegments;
import io.tributary.hls.PlaylistView;
import io.tributary.hls.Segment;
import io.tributary.hls.playlist.MediaPlaylist;
import io.tributary.media.StreamPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code hls.writeToDisk}: mirrors each stream's HLS under {@code dataDir/hls/} with the URL layout
 * ({@code {app}/streams/{id}.m3u8}, {@code {app}/streams/{id}/{n}.ts}, ...), for a web server or an archive
 * to pick up. Writes run on one thread of their own, never on the muxer's; only the latest view of a stream
 * is written when writes fall behind; segments that leave the window are deleted. Files are written under a
 * temporary name and moved into place, so a reader never sees half a file.
 */
public final class HlsDiskWriter {
    private static final Logger log = LoggerFactory.getLogger(HlsDiskWriter.class);

    private final Path root;
    private final ExecutorService writer;

    public HlsDiskWriter(Path root, ExecutorService writer) {
        this.root = root;
        this.writer = writer;
    }

    /** Writes the muxer's HLS as it changes. */
    void follow(HlsStream muxer) {
        StreamPath path = muxer.path();
        Path dir = root.resolve(path.app()).resolve("streams");
        AtomicReference<PlaylistView> latest = new AtomicReference<>();
        Set<String> written = new HashSet<>();
        muxer.onChange(v -> {
            if (latest.getAndSet(v) == null) {
                writer.execute(() -> {
                    PlaylistView next = latest.getAndSet(null);
                    try {
                        write(dir, path.streamId(), next, written);
                    } catch (IOException | UncheckedIOException e) {
                        log.warn("hls {}: could not write to {}: {}", path, dir, e.toString());
                    }
                });
            }
        });
    }

    private static void write(Path dir, String id, PlaylistView v, Set<String> written) throws IOException {
        Path media = dir.resolve(id);
        Files.createDirectories(media);
        Set<String> keep = new HashSet<>();
        for (Map.Entry<Long, InitSegments> init : v.initSegments().entrySet()) {
            String name = "init" + init.getKey() + ".mp4";
            keep.add(name);
            if (written.add(name)) {
                atomically(media.resolve(name), init.getValue().muxed());
            }
        }
        for (Segment s : v.retained()) {
            String name = s.sequence() + (v.mode() == HlsMode.TS ? ".ts" : ".m4s");
            keep.add(name);
            if (written.add(name)) {
                byte[] bytes = new byte[(int) s.size()];
                int at = 0;
                for (byte[] c : s.chunks()) {
                    System.arraycopy(c, 0, bytes, at, c.length);
                    at += c.length;
                }
                atomically(media.resolve(name), bytes);
            }
        }
        // The playlist names parts too; on disk only whole segments exist, so it is written without them.
        PlaylistView whole = new PlaylistView(v.mode() == HlsMode.LLHLS ? HlsMode.FMP4 : v.mode(), v.version(),
                v.targetDuration(), v.partTargetMillis(), v.segments(), v.retained(), java.util.List.of(),
                v.nextSequence(), false, v.initSegments(), v.initGeneration(), v.ended(), v.codecs(), v.videoCodecs(),
                v.audioCodecs(), v.width(), v.height(), v.wallAtZero());
        atomically(dir.resolve(id + ".m3u8"), MediaPlaylist.render(whole, id).getBytes(StandardCharsets.UTF_8));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(media)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (!keep.contains(name) && !name.endsWith(".tmp")) {
                    Files.deleteIfExists(f);
                    written.remove(name);
                }
            }
        }
    }

    private static void atomically(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
