package io.tributary.media.amf;

import java.util.Objects;

/**
 * An object tagged with an ActionScript class name (AMF0 marker 0x10, or an AMF3 object whose
 * traits name a class). We never instantiate classes from it; the name is kept only so the value
 * can be inspected and written back unchanged.
 */
public record TypedObject(String className, AmfObject fields) {

    public TypedObject {
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(fields, "fields");
    }
}
