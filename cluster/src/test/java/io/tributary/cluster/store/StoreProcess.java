package io.tributary.cluster.store;

import io.tributary.cluster.broadcast.Broadcast;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A second Tributary process for {@link EmbeddedStoreFileTest}: {@code hold <dir>} opens the
 * store and keeps it open until its stdin closes; {@code crash <dir>} writes and flushes a record,
 * then dies without closing the store.
 */
public final class StoreProcess {

    public static final String READY = "ready";

    public static void main(String[] args) throws IOException {
        EmbeddedStore store = EmbeddedStore.open(Path.of(args[1]));
        if (args[0].equals("crash")) {
            store.create("live", new Broadcast("flushed"));
            store.flush();
            System.out.println(READY);
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }
        System.out.println(READY);
        System.out.flush();
        while (System.in.read() >= 0) {
            // held open until the test closes our stdin
        }
        store.close();
    }

    /** Starts {@code mode} on {@code dataDir} with the test's own class path. */
    static Process start(String mode, Path dataDir, Path log) throws IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-cp", classPath, StoreProcess.class.getName(), mode, dataDir.toString())
                .redirectError(log.toFile())
                .start();
    }
}
