package io.tributary.bench.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SamplerTest {

    @Test
    void aLiveSampleOfThisJvmShowsTheCpuItUsedItsMemoryAndEveryCore() {
        long pid = ProcessHandle.current().pid();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long wallBefore = System.nanoTime();
        Sampler sampler = Sampler.start(() -> List.of(pid), Duration.ofMillis(100));
        long end = System.nanoTime() + Duration.ofMillis(800).toNanos();
        long spin = 0;
        while (System.nanoTime() < end) {
            spin += Long.numberOfTrailingZeros(spin + System.nanoTime());
        }
        Sampler.Summary s = sampler.stop();
        double used = 100.0 * (os.getProcessCpuTime() - cpuBefore) / (System.nanoTime() - wallBefore);

        assertThat(spin).isPositive();
        assertThat(s.samples()).isBetween(6, 10);
        assertThat(s.targetCpu().mean()).as("what the JVM says it used: %.1f%% of a core", used)
                .isCloseTo(used, within(20.0));
        assertThat(s.targetCpu().max()).isGreaterThanOrEqualTo(s.targetCpu().mean());
        assertThat(s.targetRssKb().mean()).isGreaterThan(10_000);
        assertThat(s.coreBusy()).containsKeys(0);
        assertThat(s.coreBusy().values()).allSatisfy(c -> assertThat(c.max()).isBetween(0.0, 100.0));
    }

    @Test
    void aProcessThatIsGoneCountsNothing() {
        Sampler sampler = Sampler.start(() -> List.of((long) Integer.MAX_VALUE), Duration.ofMillis(50));
        Sampler.Summary s = sampler.stop();

        assertThat(s.targetCpu().max()).isZero();
        assertThat(s.targetRssKb().max()).isZero();
    }

    @Test
    void statsAreTheMeanAndTheMaximum() {
        assertThat(Sampler.Stat.of(List.of(10.0, 30.0, 20.0))).isEqualTo(new Sampler.Stat(20, 30));
        assertThat(Sampler.Stat.of(List.of())).isEqualTo(new Sampler.Stat(0, 0));
    }
}
