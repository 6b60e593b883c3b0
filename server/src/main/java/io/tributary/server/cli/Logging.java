package io.tributary.server.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the configured level to Logback and stops it last. logback.xml installs no shutdown hook of
 * its own: Logback's would race the node's and lose the lines written while the node stops.
 */
public final class Logging {
    private Logging() {
    }

    /** Sets the root level ({@code TRACE} to {@code ERROR}); quieted libraries keep their own levels. */
    public static void configure(String level) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(level, Level.INFO));
        }
    }

    /** Flushes and stops the appenders; anything logged afterwards is dropped. */
    public static void stop() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            context.stop();
        }
    }
}
