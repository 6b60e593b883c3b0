package io.tributary.media.amf;

/**
 * An AMF date (AMF0 0x0B, AMF3 0x08): milliseconds since the Unix epoch in UTC. The timezone is
 * a reserved field that encoders should write as 0; it is kept so values round-trip byte for byte.
 */
public record AmfDate(double epochMillis, short timezone) {
}
