package io.tributary.media.amf;

/**
 * An AMF0 ECMA (associative) array. It reads like an object, but FLV onMetaData is conventionally
 * sent as one, and some players only accept it that way, so it keeps its own type to be written
 * back with the same marker (0x08).
 */
public final class EcmaArray extends AmfObject {

    public EcmaArray() {
    }

    /** Builds an ECMA array from alternating keys and values. */
    public static EcmaArray of(Object... keyValuePairs) {
        return fill(new EcmaArray(), keyValuePairs);
    }
}
