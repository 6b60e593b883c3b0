package io.tributary.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.bench.run.LevelStepper.Ending;
import io.tributary.bench.run.LevelStepper.Step;
import io.tributary.bench.run.LevelStepper.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class LevelStepperTest {
    private static final List<Integer> LADDER = List.of(500, 1000, 2000, 4000);
    private final LevelStepper stepper = new LevelStepper(0.10);

    /** A target that serves up to {@code limit} players. */
    private static LevelStepper.LevelRunner limit(int limit) {
        return players -> players <= limit ? Verdict.PASSED : Verdict.FAILED;
    }

    @Test
    void climbsTheLadderUntilALevelFailsThenBisectsToWithinTenPercent() {
        LevelStepper.Outcome o = stepper.search(LADDER, limit(2600));

        assertThat(o.steps()).containsExactly(new Step(500, Verdict.PASSED), new Step(1000, Verdict.PASSED),
                new Step(2000, Verdict.PASSED), new Step(4000, Verdict.FAILED), new Step(3000, Verdict.FAILED),
                new Step(2500, Verdict.PASSED), new Step(2750, Verdict.FAILED));
        assertThat(o.ending()).isEqualTo(Ending.FOUND);
        assertThat(o.maxPassing()).isEqualTo(2500);
        assertThat(o.minFailing()).as("exactly 10 % above: close enough").isEqualTo(2750);
        assertThat(o.minFailing() - o.maxPassing()).isLessThanOrEqualTo(o.maxPassing() / 10);
    }

    @Test
    void theAnswerIsAlwaysWithinTenPercentBelowTheTrueLimit() {
        for (int limit = 2000; limit < 4000; limit += 37) {
            LevelStepper.Outcome o = stepper.search(LADDER, limit(limit));
            assertThat(o.maxPassing()).as("limit %d", limit).isLessThanOrEqualTo(limit)
                    .isGreaterThanOrEqualTo((int) (limit / 1.1));
            assertThat(o.minFailing()).isGreaterThan(limit);
        }
    }

    @Test
    void aLadderThatPassesEverywhereSaysTheLimitIsAboveIt() {
        LevelStepper.Outcome o = stepper.search(LADDER, limit(100_000));

        assertThat(o.ending()).isEqualTo(Ending.LADDER_PASSED);
        assertThat(o.maxPassing()).isEqualTo(4000);
        assertThat(o.steps()).hasSize(4);
    }

    @Test
    void aSaturatedGeneratorStopsTheSearch() {
        LevelStepper.Outcome o = stepper.search(LADDER,
                players -> players >= 2000 ? Verdict.GENERATOR_LIMITED : Verdict.PASSED);

        assertThat(o.ending()).isEqualTo(Ending.GENERATOR_LIMITED);
        assertThat(o.maxPassing()).isEqualTo(1000);
        assertThat(o.steps()).extracting(Step::players).containsExactly(500, 1000, 2000);
    }

    @Test
    void aGeneratorSaturatedWhileBisectingAlsoStopsIt() {
        LevelStepper.Outcome o = stepper.search(LADDER, players -> players == 3000 ? Verdict.GENERATOR_LIMITED
                : players <= 2000 ? Verdict.PASSED : Verdict.FAILED);

        assertThat(o.ending()).isEqualTo(Ending.GENERATOR_LIMITED);
        assertThat(o.steps()).extracting(Step::players).containsExactly(500, 1000, 2000, 4000, 3000);
    }

    @Test
    void whenTheFirstLevelFailsItLooksBelowIt() {
        LevelStepper.Outcome o = stepper.search(LADDER, limit(130));

        assertThat(o.ending()).isEqualTo(Ending.FOUND);
        assertThat(o.maxPassing()).isBetween(119, 130);
        assertThat(o.steps().get(0)).isEqualTo(new Step(500, Verdict.FAILED));
    }

    @Test
    void aTargetThatServesNobodyEndsAtOnePlayer() {
        LevelStepper.Outcome o = stepper.search(LADDER, limit(0));

        assertThat(o.ending()).isEqualTo(Ending.NOTHING_PASSED);
        assertThat(o.minFailing()).isEqualTo(1);
    }
}
