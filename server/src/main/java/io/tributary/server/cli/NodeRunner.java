package io.tributary.server.cli;

import io.tributary.server.config.ConfigKeys;
import io.tributary.server.config.NodeConfig;
import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one node in the foreground: configures logging, starts the node, and blocks until the JVM is
 * asked to stop (SIGTERM, Ctrl-C), at which point the shutdown hook stops the node and then logging.
 */
public final class NodeRunner {
    private static final Logger log = LoggerFactory.getLogger(NodeRunner.class);

    private final NodeStarter starter;
    private final Consumer<Thread> shutdownHooks;
    private final Runnable afterStop;

    /**
     * @param shutdownHooks where the stop thread is registered ({@code Runtime::addShutdownHook} in production)
     * @param afterStop     runs after the node stopped, last thing in the hook
     */
    public NodeRunner(NodeStarter starter, Consumer<Thread> shutdownHooks, Runnable afterStop) {
        this.starter = starter;
        this.shutdownHooks = shutdownHooks;
        this.afterStop = afterStop;
    }

    public static NodeRunner production() {
        return new NodeRunner(NodeStarter.tributaryNode(), Runtime.getRuntime()::addShutdownHook, Logging::stop);
    }

    /** @return 0 once stopped, 1 when the node could not start */
    public int run(NodeConfig config, PrintWriter err) {
        String level = config.get(ConfigKeys.LOG_LEVEL);
        Logging.configure(level);
        log.info("Tributary {} starting", TributaryCommand.version());
        config.warnings().forEach(log::warn);
        config.describeChanged().forEach(line -> log.info("config {}", line));

        Runnable stop;
        try {
            stop = starter.start(config);
        } catch (Exception e) {
            err.println("tributary: could not start the node: " + reason(e));
            if (Set.of("DEBUG", "TRACE").contains(level)) {
                e.printStackTrace(err);
            }
            err.flush();
            return 1;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        shutdownHooks.accept(new Thread(() -> {
            try {
                log.info("stopping");
                stop.run();
                log.info("stopped");
            } catch (RuntimeException e) {
                log.error("stop failed", e);
            } finally {
                afterStop.run();
                stopped.countDown();
            }
        }, "tributary-stop"));
        log.info("node started; Ctrl-C or SIGTERM stops it");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** The messages of the exception and its causes, without repeating a cause its wrapper already quotes. */
    static String reason(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (text.indexOf(message) < 0) {
                text.append(text.length() == 0 ? "" : ": ").append(message);
            }
        }
        return text.toString();
    }
}
