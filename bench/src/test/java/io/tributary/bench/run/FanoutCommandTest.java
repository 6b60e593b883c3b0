package io.tributary.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.bench.BenchMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** Command lines that are refused before anything starts, with the reason. */
class FanoutCommandTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "fanout --protocol hls --target both        | nginx-rtmp has no HTTP-FLV, and its HLS is files",
        "fanout --protocol flv --target nginx-rtmp  | nginx-rtmp has no HTTP-FLV",
        "fanout --protocol flv --target both        | nginx-rtmp has no HTTP-FLV",
        "fanout --protocol srt                      | --protocol is rtmp, flv or hls, not srt",
        "fanout --target wowza                      | --target is tributary, nginx-rtmp or both, not wowza",
        "fanout --levels 1000,500                   | --levels must be ascending positive player counts",
        "fanout --levels 0,500                      | --levels must be ascending positive player counts",
        "fanout --levels 500,500                    | --levels must be ascending positive player counts",
        "fanout --levels 1000000                    | needs more file descriptors than this process may open",
        "fanout --bitrate 1m                        | unknown bit rate 1m; test files exist for [600k, 2500k]",
        "fanout --target-cpu 1 --generator-cpu 1    | --target-cpu and --generator-cpu must differ",
        "latency --protocol hls --target nginx-rtmp | nginx-rtmp plays RTMP only here",
        "latency --protocol dash                    | --protocol takes rtmp, flv and hls, not dash",
        "latency --target nginx-rtmp                | nginx-rtmp plays RTMP only here: add --protocol rtmp",
        "latency --target nginx-rtmp --protocol rtmp --relay | --relay runs two Tributary nodes",
        "latency --players 0                        | --players must be at least 1",
    })
    void isRefusedWithExitCode2AndSaysWhy(String args, String message) {
        StringWriter err = new StringWriter();
        CommandLine cli = BenchMain.commandLine();
        cli.setErr(new PrintWriter(err));

        int status = cli.execute(args.trim().split("\\s+"));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains(message);
    }
}
