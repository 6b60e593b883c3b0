package io.tributary.media.stream;

/** Bytes per second over the last few whole seconds; cheap enough to call per frame. */
final class RateMeter {
    private static final int WINDOW_SECONDS = 5;

    private final long[] buckets = new long[WINDOW_SECONDS + 1];
    private long currentSecond = Long.MIN_VALUE;
    private long total;

    synchronized void add(long bytes, long nowMillis) {
        advance(nowMillis / 1000);
        buckets[(int) Math.floorMod(currentSecond, buckets.length)] += bytes;
        total += bytes;
    }

    /** Average over the last {@value #WINDOW_SECONDS} complete seconds, in bits per second. */
    synchronized long bitsPerSecond(long nowMillis) {
        advance(nowMillis / 1000);
        long sum = 0;
        for (int i = 1; i <= WINDOW_SECONDS; i++) {
            sum += buckets[(int) Math.floorMod(currentSecond - i, buckets.length)];
        }
        return sum * 8 / WINDOW_SECONDS;
    }

    synchronized long total() {
        return total;
    }

    private void advance(long second) {
        if (currentSecond == Long.MIN_VALUE) {
            currentSecond = second;
            return;
        }
        if (second <= currentSecond) {
            return;
        }
        long steps = Math.min(second - currentSecond, buckets.length);
        for (long i = 1; i <= steps; i++) {
            buckets[(int) Math.floorMod(currentSecond + i, buckets.length)] = 0;
        }
        currentSecond = second;
    }
}
