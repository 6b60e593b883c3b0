package io.tributary.bench.run;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tributary-bench media}: makes the test files now (the other commands make them when missing). */
@Command(name = "media", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Makes the test files now (the other commands make them when missing).", "",
            "Makes the test files with ffmpeg unless they exist, and shows what they hold:",
            "  600k.flv   640x360 30 fps H.264 Main ~536 kbit/s + AAC 64 kbit/s, 60 s, keyframe every 2 s",
            "  2500k.flv  1280x720 30 fps H.264 Main ~2372 kbit/s + AAC 128 kbit/s, 60 s, keyframe every 2 s"})
public final class MediaCommand implements Callable<Integer> {
    @Option(names = "--bitrate", paramLabel = "600k|2500k|all", defaultValue = "all",
            description = "which file (default ${DEFAULT-VALUE})")
    private String bitrate;

    @Option(names = "--media-dir", paramLabel = "DIR",
            description = "where the test files are made and kept (default bench/media in the repository)")
    private Path mediaDir;

    @Override
    public Integer call() {
        List<TestMedia.Variant> variants = bitrate.equals("all") ? Arrays.asList(TestMedia.Variant.values())
                : List.of(TestMedia.Variant.of(bitrate));
        Path dir = mediaDir != null ? mediaDir : TestMedia.defaultDirectory();
        for (TestMedia.Variant v : variants) {
            Path file = TestMedia.ensure(v, dir);
            System.out.println(file);
            TestMedia.describe(file).lines().forEach(l -> System.out.println("  " + l));
        }
        return 0;
    }
}
