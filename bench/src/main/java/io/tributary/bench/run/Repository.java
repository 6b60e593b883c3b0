package io.tributary.bench.run;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the repository is, for the defaults that live in it (the server's jar, {@code bench/media},
 * {@code bench/results}): the {@code tributary.home} property the launcher sets, else the directory the bench
 * jar (or classes) was built in, else the working directory.
 */
public final class Repository {
    private Repository() {
    }

    public static Path root() {
        String home = System.getProperty("tributary.home");
        if (home != null && !home.isBlank()) {
            return Path.of(home).toAbsolutePath();
        }
        try {
            var source = Repository.class.getProtectionDomain().getCodeSource();
            if (source != null) {
                // <root>/bench/target/tributary-bench.jar or <root>/bench/target/classes
                Path built = Path.of(source.getLocation().toURI()).toAbsolutePath();
                Path root = built.getParent() == null ? null : built.getParent().getParent();
                root = root == null ? null : root.getParent();
                if (root != null && Files.isDirectory(root.resolve("bench")) && Files.exists(root.resolve("pom.xml"))) {
                    return root;
                }
            }
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            // fall through to the working directory
        }
        return Path.of("").toAbsolutePath();
    }

    public static Path serverJar() {
        return root().resolve("server/target/tributary.jar");
    }
}
