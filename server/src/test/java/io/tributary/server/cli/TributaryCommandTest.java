package io.tributary.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TributaryCommandTest {
    private final StringWriter out = new StringWriter();

    @Test
    void helpListsTheSubcommandsAndTheLauncherTestCommand() {
        int status = run("--help");

        assertThat(status).isZero();
        assertThat(out.toString())
                .contains("Usage: tributary")
                .containsPattern("\\n  start +Starts a node")
                .containsPattern("\\n  help +")
                .contains("Launcher commands (./tributary only):")
                .containsPattern("\\n  test +installs test prerequisites and runs the whole suite");
    }

    @Test
    void withoutACommandItPrintsTheHelp() {
        assertThat(run()).isZero();
        assertThat(out.toString()).contains("Usage: tributary").contains("start");
    }

    @Test
    void versionIsDevWhenNotRunFromTheJar() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString().trim()).isEqualTo("tributary dev");
    }

    @Test
    void startHelpListsTheKeyFlagsWithTheirVariablesAndDefaults() {
        assertThat(run("help", "start")).isZero();
        assertThat(out.toString())
                .contains("--rtmp-port=<port>")
                .contains("TRIBUTARY_RTMP_PORT")
                .contains("default 1935")
                .contains("--set=KEY=VALUE")
                .contains("--print-config")
                .contains("--config=FILE");
    }

    private int run(String... args) {
        CommandLine commandLine = new CommandLine(new TributaryCommand());
        commandLine.setOut(new PrintWriter(out, true));
        return commandLine.execute(args);
    }
}
