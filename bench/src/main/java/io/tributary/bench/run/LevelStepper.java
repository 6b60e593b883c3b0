package io.tributary.bench.run;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the most players a target serves: up the ladder until a level fails, then halving the gap between
 * the last level that passed and the first that failed until they are at most {@code maxGap} apart (10 %:
 * near the limit, steps are at most 10 % apart). A level whose generator was the bottleneck decides nothing,
 * so the search stops there.
 */
public final class LevelStepper {

    /** What one level showed. */
    public enum Verdict {
        PASSED, FAILED,
        /** The generator's core was saturated: the level measured the generator, not the target. */
        GENERATOR_LIMITED
    }

    /** Runs one level of {@code players} players and judges it. */
    @FunctionalInterface
    public interface LevelRunner {
        Verdict run(int players);
    }

    /** How the search ended. */
    public enum Ending {
        /** The highest passing level is within the gap of the lowest failing one. */
        FOUND,
        /** Every level of the ladder passed: the limit is above it. */
        LADDER_PASSED,
        /** The generator's core saturated before the target failed. */
        GENERATOR_LIMITED,
        /** Not even one player passed. */
        NOTHING_PASSED
    }

    public record Step(int players, Verdict verdict) {
    }

    /**
     * @param maxPassing the highest level that passed (0 when none did)
     * @param minFailing the lowest level that failed (0 when none did)
     * @param steps every level run, in order
     */
    public record Outcome(Ending ending, int maxPassing, int minFailing, List<Step> steps) {
    }

    private final double maxGap;

    public LevelStepper(double maxGap) {
        this.maxGap = maxGap;
    }

    /** Runs levels from {@code ladder} (ascending) and then between them, as described above. */
    public Outcome search(List<Integer> ladder, LevelRunner runner) {
        List<Step> steps = new ArrayList<>();
        int passing = 0;
        int failing = 0;
        for (int players : ladder) {
            Verdict v = runner.run(players);
            steps.add(new Step(players, v));
            if (v == Verdict.GENERATOR_LIMITED) {
                return new Outcome(Ending.GENERATOR_LIMITED, passing, failing, steps);
            }
            if (v == Verdict.FAILED) {
                failing = players;
                break;
            }
            passing = players;
        }
        if (failing == 0) {
            return new Outcome(Ending.LADDER_PASSED, passing, 0, steps);
        }
        while (!closeEnough(passing, failing)) {
            int players = passing + (failing - passing) / 2;
            Verdict v = runner.run(players);
            steps.add(new Step(players, v));
            switch (v) {
                case PASSED -> passing = players;
                case FAILED -> failing = players;
                case GENERATOR_LIMITED -> {
                    return new Outcome(Ending.GENERATOR_LIMITED, passing, failing, steps);
                }
                default -> throw new IllegalStateException("unknown verdict " + v);
            }
        }
        return new Outcome(passing == 0 ? Ending.NOTHING_PASSED : Ending.FOUND, passing, failing, steps);
    }

    private boolean closeEnough(int passing, int failing) {
        return failing - passing <= 1 || (passing > 0 && failing - passing <= passing * maxGap);
    }
}
