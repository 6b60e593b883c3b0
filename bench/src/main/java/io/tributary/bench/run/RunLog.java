package io.tributary.bench.run;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a run prints, on the console and in the raw log file at once: the file is the record committed beside
 * the results table, so nothing the reader saw may be missing from it. Lines are flushed as they come, so a
 * run stopped half-way keeps what it measured.
 */
public final class RunLog implements AutoCloseable {
    private final PrintStream console;
    private final Writer file;
    private final Path path;

    private RunLog(PrintStream console, Writer file, Path path) {
        this.console = console;
        this.file = file;
        this.path = path;
    }

    /** Prints to {@code console} and to {@code path} (created with its directories; replaced if it exists). */
    public static RunLog open(PrintStream console, Path path) {
        try {
            if (path.toAbsolutePath().getParent() != null) {
                Files.createDirectories(path.toAbsolutePath().getParent());
            }
            return new RunLog(console, Files.newBufferedWriter(path, StandardCharsets.UTF_8), path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the raw log " + path, e);
        }
    }

    /**
     * {@code dir/<prefix>.txt}, or {@code dir/<prefix>-2.txt} and so on when that exists: a default name never
     * replaces an earlier run's record.
     */
    public static Path unusedName(Path dir, String prefix) {
        Path candidate = dir.resolve(prefix + ".txt");
        for (int n = 2; Files.exists(candidate); n++) {
            candidate = dir.resolve(prefix + "-" + n + ".txt");
        }
        return candidate;
    }

    public Path path() {
        return path;
    }

    public synchronized void line(String text) {
        console.println(text);
        console.flush();
        try {
            file.write(text);
            file.write('\n');
            file.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the raw log " + path, e);
        }
    }

    public void line(String format, Object... args) {
        line(String.format(format, args));
    }

    @Override
    public synchronized void close() {
        try {
            file.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
