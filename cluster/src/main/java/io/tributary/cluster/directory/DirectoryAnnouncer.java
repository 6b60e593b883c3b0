package io.tributary.cluster.directory;

/**
 * Tells the other nodes about the claims and releases this node makes (the cluster notifier). Called
 * after the store accepted the change; must not block.
 */
public interface DirectoryAnnouncer {

    void published(DirectoryEntry entry);

    /** The stream stopped: {@code entry} is the finished record, or a tombstone when the record went. */
    void unpublished(DirectoryEntry entry);

    DirectoryAnnouncer NONE = new DirectoryAnnouncer() {
        @Override
        public void published(DirectoryEntry entry) {
        }

        @Override
        public void unpublished(DirectoryEntry entry) {
        }
    };
}
