package io.tributary.cluster.directory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What a directory announced to the other nodes, in order: "published" or "unpublished" with the entry. */
final class RecordingAnnouncer implements DirectoryAnnouncer {

    /** One announcement. */
    record Announcement(String what, DirectoryEntry entry) {
    }

    private final List<Announcement> announced = new CopyOnWriteArrayList<>();

    @Override
    public void published(DirectoryEntry entry) {
        announced.add(new Announcement("published", entry));
    }

    @Override
    public void unpublished(DirectoryEntry entry) {
        announced.add(new Announcement("unpublished", entry));
    }

    List<Announcement> announced() {
        return List.copyOf(announced);
    }
}
