package io.tributary.media.amf;

import java.util.LinkedHashMap;

/**
 * An AMF anonymous object: string keys in wire order, plus typed getters for reading command
 * objects (connect, onStatus info) without casts. Not final because {@link EcmaArray} is an
 * object that is written back with a different marker.
 */
public class AmfObject extends LinkedHashMap<String, Object> {

    public AmfObject() {
    }

    /** Builds an object from alternating keys and values: {@code of("app", "live", "fpad", false)}. */
    public static AmfObject of(Object... keyValuePairs) {
        return fill(new AmfObject(), keyValuePairs);
    }

    static <T extends AmfObject> T fill(T target, Object... keyValuePairs) {
        if (keyValuePairs.length % 2 != 0) {
            throw new IllegalArgumentException(
                    "expected key/value pairs, got " + keyValuePairs.length + " arguments");
        }
        for (int i = 0; i < keyValuePairs.length; i += 2) {
            if (!(keyValuePairs[i] instanceof String key)) {
                throw new IllegalArgumentException("key at argument " + i + " is not a String: "
                        + keyValuePairs[i]);
            }
            target.put(key, keyValuePairs[i + 1]);
        }
        return target;
    }

    /** The value if it is a string, else null. */
    public String string(String key) {
        return get(key) instanceof String s ? s : null;
    }

    /** The value as a double if it is a number, else null. */
    public Double number(String key) {
        return get(key) instanceof Number n ? Double.valueOf(n.doubleValue()) : null;
    }

    /** True only if the value is boolean true; absent or non-boolean values read as false. */
    public boolean bool(String key) {
        return Boolean.TRUE.equals(get(key));
    }

    /** The value if it is an object (or ECMA array), else null. */
    public AmfObject object(String key) {
        return get(key) instanceof AmfObject o ? o : null;
    }
}
