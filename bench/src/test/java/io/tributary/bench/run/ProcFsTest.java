package io.tributary.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcFsTest {
    private static final String STAT = """
            cpu  551823 0 54598 1135024 1255 0 1147 1065 0 0
            cpu0 274511 0 26448 570187 271 0 441 519 0 0
            cpu1 277312 0 28150 564836 984 0 706 545 0 0
            intr 123 0 0
            ctxt 456
            """;

    @Test
    void coresAreReadFromTheirOwnLinesWithIdleAndIowaitAsTheOnlyFreeTime() {
        var cores = ProcFs.parseCores(STAT);

        assertThat(cores).containsOnlyKeys(0, 1);
        assertThat(cores.get(0).total()).isEqualTo(274511 + 26448 + 570187 + 271 + 441 + 519);
        assertThat(cores.get(0).busy()).isEqualTo(274511 + 26448 + 441 + 519);
    }

    @Test
    void busyPercentIsTheBusyShareOfTheTicksBetweenTwoReadings() {
        var before = new ProcFs.CoreTicks(1000, 10_000);
        var after = new ProcFs.CoreTicks(1075, 10_100);

        assertThat(after.busyPercentSince(before)).isEqualTo(75.0);
        assertThat(before.busyPercentSince(before)).isZero();
    }

    @Test
    void processTicksAreUtimePlusStimeEvenWhenTheNameHasSpacesAndParentheses() {
        String stat = "5802 (nginx: worker (x) y) S 5800 5800 3216 0 -1 4194624 101 0 0 0 1234 567 0 0 20 0 1 0 "
                + "877560 3133440 389 18446744073709551615";

        assertThat(ProcFs.parseCpuTicks(stat)).isEqualTo(1234 + 567);
    }

    @Test
    void rssComesFromVmRssAndAZombieHasNone() {
        String status = "Name:\tjava\nState:\tS (sleeping)\nVmPeak:\t 9000 kB\nVmRSS:\t  412345 kB\nThreads:\t42\n";

        assertThat(ProcFs.parseRssKb(status)).isEqualTo(412345);
        assertThat(ProcFs.parseRssKb("Name:\tnginx\nState:\tZ (zombie)\n")).isZero();
    }

    @Test
    void affinityAndTheOpenFilesLimitAreReadFromTheirLines() {
        assertThat(ProcFs.parseCpusAllowed("Cpus_allowed:\t1\nCpus_allowed_list:\t0-1\n")).isEqualTo("0-1");
        String limits = """
                Limit                     Soft Limit           Hard Limit           Units
                Max open files            20000                20000                files
                """;
        assertThat(ProcFs.parseOpenFilesLimit(limits)).isEqualTo(20000);
    }

    @Test
    void theLiveReadersSeeThisProcess() {
        long pid = ProcessHandle.current().pid();

        assertThat(ProcFs.cores()).isNotEmpty();
        assertThat(ProcFs.rssKb(pid)).hasValueSatisfying(kb -> assertThat(kb).isPositive());
        assertThat(ProcFs.cpuTicks(pid)).hasValueSatisfying(t -> assertThat(t).isPositive());
        assertThat(ProcFs.threadAffinities(pid)).hasSizeGreaterThan(1);
        assertThat(ProcFs.rssKb(Integer.MAX_VALUE)).isEmpty();
    }
}
