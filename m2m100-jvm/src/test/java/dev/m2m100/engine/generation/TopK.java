package dev.m2m100.engine.generation;

/** Top-k of one row as the StepModel contract states it: best first, ties to the lower id, -inf last. */
final class TopK {
    private TopK() {}

    static void select(float[] values, int k, float[] outValues, int[] outIds, int offset) {
        boolean[] taken = new boolean[values.length];
        for (int j = 0; j < k; j++) {
            int best = -1;
            for (int v = 0; v < values.length; v++) {
                if (!taken[v] && (best < 0 || values[v] > values[best])) {
                    best = v;
                }
            }
            taken[best] = true;
            outValues[offset + j] = values[best];
            outIds[offset + j] = best;
        }
    }
}
