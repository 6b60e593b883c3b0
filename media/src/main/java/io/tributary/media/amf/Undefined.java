package io.tributary.media.amf;

/**
 * The AMF undefined value (AMF0 0x06, AMF3 0x00). Kept distinct from null because some encoders
 * send undefined where a command argument is absent, and re-encoding must not change it.
 */
public enum Undefined {
    INSTANCE
}
