package io.tributary.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real nginx with Debian's RTMP module (./tributary test installs nginx and libnginx-mod-rtmp). */
class NginxRtmpTargetTest {

    @Test
    void startsOneWorkerPinnedToItsCoreThatAnswersAnRtmpHandshakeAndStopsWithoutLeavingAProcess() throws Exception {
        List<Long> pids;
        try (NginxRtmpTarget nginx = NginxRtmpTarget.start(0)) {
            pids = nginx.pids();
            assertThat(nginx.workerPids()).hasSize(1);
            assertThat(pids).containsExactly(nginx.masterPid(), nginx.workerPids().get(0));
            assertThat(pids).allSatisfy(pid -> assertThat(ProcFs.threadAffinities(pid)).containsOnly("0"));
            assertThat(nginx.isAlive()).isTrue();
            assertThat(nginx.httpFlvPort()).isEmpty();
            assertThat(nginx.version()).startsWith("nginx/").contains("libnginx-mod-rtmp 1:");
            assertThat(Sampler.rssKbNow(pids)).isPositive();

            assertThat(rtmpHandshakeVersion(nginx.host(), nginx.rtmpPort())).as("S0: RTMP version 3").isEqualTo(3);
        }
        assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
                .as("pid %d after stop", pid).isNotEqualTo(java.util.Optional.of(true)));
    }

    @Test
    void theConfigurationHasOneWorkerOnTheCoreAndTheRtmpServerOnLoopback() {
        String conf = NginxRtmpTarget.config(Path.of("/tmp/p"), 31935, 1);

        assertThat(conf).contains("load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;", "daemon off;",
                "master_process on;", "worker_processes 1;", "worker_cpu_affinity 10;", "worker_rlimit_nofile 20000;",
                "worker_connections 19000;", "listen 127.0.0.1:31935;", "chunk_size 4096;", "live on;",
                "pid /tmp/p/nginx.pid;", "error_log /tmp/p/error.log warn;");
    }

    /** Sends C0 + C1 and returns S0, the server's RTMP version. */
    private static int rtmpHandshakeVersion(String host, int port) throws IOException {
        try (Socket s = new Socket(host, port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(3);
            out.write(new byte[1536]);
            out.flush();
            InputStream in = s.getInputStream();
            return in.read();
        }
    }
}
