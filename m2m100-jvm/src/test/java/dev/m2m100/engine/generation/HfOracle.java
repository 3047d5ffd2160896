package dev.m2m100.engine.generation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * An independent, deliberately plain re-statement of Hugging Face's greedy and beam search for ONE input, over
 * full-vocabulary log-probabilities (no per-row top-k, no row slots, no reordering): the flattened
 * {@code beams × vocab} scores are sorted whole, and finished hypotheses are a list kept sorted the way
 * Python's {@code sorted} would. Tests compare the production state machines, driven by the scheduler,
 * against it.
 */
public final class HfOracle {
    private final ToyStepModel toy;

    public HfOracle(ToyStepModel toy) {
        this.toy = toy;
    }

    public GeneratedSequence greedy(int[] source, SearchSettings s) {
        List<Integer> ids = new ArrayList<>(List.of(s.decoderStartTokenId()));
        while (true) {
            float[] lp = toy.processedLogProbs(source, toArray(ids), s.ruleAt(ids.size()));
            int arg = 0;
            for (int v = 1; v < lp.length; v++) {
                if (lp[v] > lp[arg]) {
                    arg = v;
                }
            }
            ids.add(arg);
            if (arg == s.eosTokenId() || ids.size() >= s.maxLength()) {
                return new GeneratedSequence(toArray(ids), Float.NaN);
            }
        }
    }

    public GeneratedSequence beam(int[] source, SearchSettings s) {
        int n = s.numBeams();
        int[][] beams = new int[n][];
        float[] beamScores = new float[n];
        for (int b = 0; b < n; b++) {
            beams[b] = new int[] {s.decoderStartTokenId()};
            beamScores[b] = b == 0 ? 0f : -1e9f;
        }
        List<Object[]> hyps = new ArrayList<>(); // {Double score, int[] tokens}
        double[] worst = {1e9};
        int curLen = 1;
        while (true) {
            int vocab = toy.vocabSize();
            float[] flat = new float[n * vocab];
            for (int b = 0; b < n; b++) {
                float[] lp = toy.processedLogProbs(source, beams[b], s.ruleAt(curLen));
                for (int v = 0; v < vocab; v++) {
                    flat[b * vocab + v] = beamScores[b] + lp[v];
                }
            }
            Integer[] order = new Integer[flat.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -flat[i]).thenComparingInt(i -> i));
            int[][] next = new int[n][];
            float[] nextScores = new float[n];
            int filled = 0;
            for (int rank = 0; rank < 2 * n; rank++) {
                int b = order[rank] / vocab;
                int tok = order[rank] % vocab;
                float score = flat[order[rank]];
                if (tok == s.eosTokenId()) {
                    if (rank >= n) {
                        continue;
                    }
                    add(hyps, worst, n, s.lengthPenalty(), beams[b], score, curLen);
                } else {
                    next[filled] = Arrays.copyOf(beams[b], curLen + 1);
                    next[filled][curLen] = tok;
                    nextScores[filled] = score;
                    filled++;
                }
                if (filled == n) {
                    break;
                }
            }
            boolean done = isDone(hyps, worst[0], n, s, flat[order[0]], curLen + 1);
            beams = next;
            beamScores = nextScores;
            curLen++;
            if (done) {
                break;
            }
            if (curLen >= s.maxLength()) {
                for (int b = 0; b < n; b++) {
                    add(hyps, worst, n, s.lengthPenalty(), beams[b], beamScores[b], curLen - 1);
                }
                break;
            }
        }
        // Python: sorted(hyps, key=score) then pop() -> the last of the highest score.
        List<Object[]> sorted = new ArrayList<>(hyps);
        sorted.sort(Comparator.comparingDouble(h -> (Double) h[0]));
        Object[] best = sorted.get(sorted.size() - 1);
        int[] hyp = (int[]) best[1];
        int sentMax = Math.min(hyp.length + 1, s.maxLength());
        int[] out = hyp.length < sentMax ? Arrays.copyOf(hyp, hyp.length + 1) : hyp;
        if (hyp.length < sentMax) {
            out[hyp.length] = s.eosTokenId();
        }
        return new GeneratedSequence(out, (float) (double) (Double) best[0]);
    }

    private static void add(List<Object[]> hyps, double[] worst, int n, double lengthPenalty, int[] tokens,
                            float sumLogProbs, int generatedLen) {
        double score = sumLogProbs / Math.pow(generatedLen, lengthPenalty);
        if (hyps.size() < n || score > worst[0]) {
            hyps.add(new Object[] {score, tokens});
            if (hyps.size() > n) {
                Integer[] idx = new Integer[hyps.size()];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = i;
                }
                Arrays.sort(idx, Comparator.<Integer>comparingDouble(i -> (Double) hyps.get(i)[0]).thenComparingInt(i -> i));
                worst[0] = (Double) hyps.get(idx[1])[0];
                hyps.remove((int) idx[0]);
            } else {
                worst[0] = Math.min(score, worst[0]);
            }
        }
    }

    private static boolean isDone(List<Object[]> hyps, double worst, int n, SearchSettings s, float best, int curLen) {
        if (hyps.size() < n) {
            return false;
        }
        double lp = s.lengthPenalty();
        return switch (s.earlyStopping()) {
            case TRUE -> true;
            case FALSE -> worst >= best / Math.pow(curLen - 1, lp);
            case NEVER -> worst >= best / Math.pow(lp > 0 ? s.maxLength() - 1 : curLen - 1, lp);
        };
    }

    private static int[] toArray(List<Integer> ids) {
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }
}
