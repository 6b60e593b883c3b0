package io.tributary.server.cli;

import java.util.Map;
import picocli.CommandLine;

/** Entry point of {@code tributary.jar}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line as the jar runs it. */
    public static CommandLine commandLine() {
        return new CommandLine(new TributaryCommand());
    }

    /** The command line with {@code start} reading {@code env} and running nodes through {@code runner}. */
    public static CommandLine commandLine(Map<String, String> env, NodeRunner runner) {
        return new CommandLine(new TributaryCommand(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == StartCommand.class
                        ? type.cast(new StartCommand(env, runner))
                        : CommandLine.defaultFactory().create(type);
            }
        });
    }
}
