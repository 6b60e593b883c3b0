package io.tributary.server.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's files (docs, deploy, web) as tests read them, wherever Maven runs the test from. */
public final class Repository {

    private Repository() {
    }

    /** The directory holding the launcher ({@code ./tributary}) and the parent pom. */
    public static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("tributary")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new AssertionError("no directory holding ./tributary above " + Path.of("").toAbsolutePath());
    }
}
