package io.tributary.media.amf;

import java.util.Objects;

/**
 * An XML document carried as text (AMF0 0x0F, AMF3 0x07 and 0x0B). Kept apart from String so it
 * is written back as XML rather than as a plain string.
 */
public record XmlDocument(String xml) {

    public XmlDocument {
        Objects.requireNonNull(xml, "xml");
    }
}
