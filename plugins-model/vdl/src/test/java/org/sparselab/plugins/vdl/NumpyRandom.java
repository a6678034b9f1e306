package org.sparselab.plugins.vdl;

/**
 * Test helper: {@code numpy.random.RandomState(seed).permutation(n)} bit for bit (MT19937 init_genrand, numpy's
 * shuffle from the end with masked rejection sampling), the generator of the VDL paper's MNIST split files. A copy of
 * the mnist plugin's NumpyPermutation (plugins do not depend on each other); checked there against numpy.
 */
final class NumpyRandom {
    private NumpyRandom() {
    }

    static int[] permutation(long seed, int n) {
        int[] mt = new int[624];
        mt[0] = (int) seed;
        for (int i = 1; i < 624; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        int[] mti = {624};
        java.util.function.LongSupplier next = () -> {
            if (mti[0] >= 624) {
                for (int k = 0; k < 624; k++) {
                    int y = (mt[k] & 0x80000000) | (mt[(k + 1) % 624] & 0x7fffffff);
                    mt[k] = mt[(k + 397) % 624] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
                }
                mti[0] = 0;
            }
            int y = mt[mti[0]++];
            y ^= y >>> 11;
            y ^= (y << 7) & 0x9d2c5680;
            y ^= (y << 15) & 0xefc60000;
            y ^= y >>> 18;
            return y & 0xffffffffL;
        };
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            long mask = i;
            mask |= mask >>> 1;
            mask |= mask >>> 2;
            mask |= mask >>> 4;
            mask |= mask >>> 8;
            mask |= mask >>> 16;
            long j;
            do {
                j = next.getAsLong() & mask;
            } while (j > i);
            int t = p[i];
            p[i] = p[(int) j];
            p[(int) j] = t;
        }
        return p;
    }
}
