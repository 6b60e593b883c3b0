package io.tributary.server.config;

/**
 * A configuration value that cannot be used. The message is one line naming the key, where the value
 * came from and what is expected, because it is the only thing an operator sees before the node exits.
 */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
