package dev.m2m100.engine.generation;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** Language models for {@link ToyStepModel}. */
public final class ToyLms {
    private ToyLms() {}

    /**
     * Pseudo-random logits in [-2, 2) from a hash of the source, the last two consumed tokens and the seed;
     * {@code </s>} (id 2) grows likelier with the history length, so hypotheses end at varied steps.
     */
    public static ToyStepModel.Lm hashed(int vocab, long seed, double eosSlope) {
        return (source, consumed) -> {
            long h = seed * 0x9E3779B97F4A7C15L + Arrays.hashCode(source);
            int n = consumed.length;
            h = mix(h + consumed[n - 1]);
            h = mix(h + (n > 1 ? consumed[n - 2] : -1) * 31L + n);
            float[] logits = new float[vocab];
            for (int v = 0; v < vocab; v++) {
                long x = mix(h + v * 0x632BE59BD9B4E019L);
                logits[v] = (float) (((x >>> 11) * 0x1.0p-53) * 4 - 2);
            }
            logits[2] += (float) (eosSlope * n - 2.5);
            return logits;
        };
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Logits from a table keyed by the consumed history; unlisted tokens get {@code rest}. */
    public static final class Table implements ToyStepModel.Lm {
        private final int vocab;
        private final float rest;
        private final Map<String, float[]> rows = new HashMap<>();

        public Table(int vocab, float rest) {
            this.vocab = vocab;
            this.rest = rest;
        }

        /** After consuming {@code history}, the listed tokens get these logits: pairs (token, logit). */
        public Table when(int[] history, float... tokenLogits) {
            float[] logits = new float[vocab];
            Arrays.fill(logits, rest);
            for (int i = 0; i < tokenLogits.length; i += 2) {
                logits[(int) tokenLogits[i]] = tokenLogits[i + 1];
            }
            rows.put(Arrays.toString(history), logits);
            return this;
        }

        @Override
        public float[] logits(int[] source, int[] consumed) {
            float[] logits = rows.get(Arrays.toString(consumed));
            if (logits == null) {
                logits = new float[vocab];
                Arrays.fill(logits, rest);
            }
            return logits.clone();
        }
    }
}
