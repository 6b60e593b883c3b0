package io.tributary.media;

/** What a frame carries: picture, sound, or timed data such as metadata and cue points. */
public enum TrackKind {
    VIDEO,
    AUDIO,
    DATA
}
