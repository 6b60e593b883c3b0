package io.tributary.rtmp.handshake;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * Filler bytes for handshake packets. The bytes need to be unpredictable enough that peers cannot
 * precompute answers, not cryptographically strong, and producing them must never block an event
 * loop: each thread gets a fast generator seeded once from {@link SecureRandom}.
 */
final class HandshakeRandom {

    private static final SecureRandom SEEDS = new SecureRandom();
    private static final ThreadLocal<SplittableRandom> RANDOM =
            ThreadLocal.withInitial(() -> new SplittableRandom(SEEDS.nextLong()));

    private HandshakeRandom() {
    }

    static void fill(byte[] bytes) {
        RANDOM.get().nextBytes(bytes);
    }
}
