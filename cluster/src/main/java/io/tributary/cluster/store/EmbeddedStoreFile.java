package io.tributary.cluster.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.type.StringDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the MVStore file of an {@link EmbeddedStore} and turns MVStore's failures into messages an operator can act on. */
final class EmbeddedStoreFile {

    static final String FILE_NAME = "tributary.mv.db";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStore.class);
    private static final int AUTO_COMMIT_DELAY_MS = 1000;
    private static final String SCHEMA_KEY = "schemaVersion";

    private EmbeddedStoreFile() {}

    static EmbeddedStore open(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        Path file = dir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StoreException("cannot create data dir " + dir + ": " + e, e);
        }
        MVStore store = openStore(dir, file);
        try {
            MVMap<String, String> broadcasts = openMap(store, "broadcasts");
            MVMap<String, String> settings = openMap(store, "settings");
            MVMap<String, String> records = openMap(store, "records");
            checkSchema(file, openMap(store, "meta"));
            LOG.info("Opened embedded store {} ({} broadcasts)", file, broadcasts.sizeAsLong());
            return new EmbeddedStore(file, store, broadcasts, settings, records);
        } catch (MVStoreException e) {
            store.closeImmediately();
            throw unreadable(file, e);
        } catch (RuntimeException e) {
            store.closeImmediately();
            throw e;
        }
    }

    private static MVStore openStore(Path dir, Path file) {
        // MVStore also reports a failed open through this handler; that failure is thrown (and
        // explained) below, so only failures after a successful open are worth an error line.
        AtomicBoolean opened = new AtomicBoolean();
        try {
            MVStore store = new MVStore.Builder()
                    .fileName(file.toString())
                    .backgroundExceptionHandler((thread, e) -> {
                        if (opened.get()) {
                            LOG.error("Embedded store {} failed in the background", file, e);
                        } else {
                            LOG.debug("Embedded store {} could not be opened", file, e);
                        }
                    })
                    .open();
            opened.set(true);
            store.setAutoCommitDelay(AUTO_COMMIT_DELAY_MS);
            return store;
        } catch (MVStoreException e) {
            if (e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
                throw new StoreException("data dir " + dir + " is in use by another Tributary node ("
                        + file + " is locked); stop that node or give this one another data dir", e);
            }
            throw unreadable(file, e);
        }
    }

    private static MVMap<String, String> openMap(MVStore store, String name) {
        return store.openMap(name, new MVMap.Builder<String, String>()
                .keyType(StringDataType.INSTANCE)
                .valueType(StringDataType.INSTANCE));
    }

    /** Refuses a file written by a newer Tributary rather than misreading it. */
    private static void checkSchema(Path file, MVMap<String, String> meta) {
        String found = meta.putIfAbsent(SCHEMA_KEY, EmbeddedStore.SCHEMA_VERSION);
        if (found != null && !found.equals(EmbeddedStore.SCHEMA_VERSION)) {
            throw new StoreException("store file " + file + " has schema version " + found
                    + " but this Tributary reads version " + EmbeddedStore.SCHEMA_VERSION);
        }
    }

    private static StoreException unreadable(Path file, MVStoreException e) {
        return new StoreException("cannot read store file " + file + " (corrupt, or not a Tributary store): "
                + e.getMessage() + "; move it away to start with an empty store", e);
    }
}
