package org.sparselab.plugins.mnist;

/**
 * {@code numpy.random.RandomState(seed).permutation(n)} (equally {@code np.random.seed(seed); np.random.permutation(n)}),
 * bit for bit: the legacy MT19937 seeded with {@code init_genrand(seed)} and numpy's shuffle, which walks i = n−1 .. 1 and
 * swaps x[i] with x[j], j drawn by {@code random_interval(i)} (rejection sampling of a masked 32-bit draw). The VDL
 * paper's MNIST split files are {@code RandomState(31).permutation(60000)}: its first 55,000 entries are MNIST_train.npy,
 * the last 5,000 MNIST_val.npy (checked against the files' first entries and their class counts, spec vdl.md §8, C1).
 */
final class NumpyPermutation {
    private static final int N = 624;
    private static final int M = 397;
    private final int[] mt = new int[N];
    private int mti;

    private NumpyPermutation(long seed) {
        mt[0] = (int) (seed & 0xffffffffL);
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        mti = N;
    }

    /** MT19937's genrand_int32 as an unsigned value. */
    long nextUint32() {
        if (mti >= N) {
            for (int k = 0; k < N; k++) {
                int y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff);
                mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
            }
            mti = 0;
        }
        int y = mt[mti++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    /** numpy's random_interval(max) for max < 2^32: a masked draw, rejected while above max. */
    private long interval(long max) {
        if (max == 0) {
            return 0;
        }
        long mask = max;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        long v;
        while ((v = nextUint32() & mask) > max) {
            // rejected
        }
        return v;
    }

    /** {@code RandomState(seed).permutation(n)}; seed must be a non-negative 32-bit value (numpy's scalar seeding). */
    static int[] permutation(long seed, int n) {
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException("numpy's RandomState seed must be in 0..2^32-1, got " + seed);
        }
        NumpyPermutation r = new NumpyPermutation(seed);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = (int) r.interval(i);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** The generator itself, for tests against numpy's raw 32-bit draws. */
    static NumpyPermutation generator(long seed) {
        return new NumpyPermutation(seed);
    }
}
