package dev.m2m100.engine.generation;

import java.util.ArrayList;
import java.util.List;

/**
 * The finished hypotheses of one source: at most {@code numBeams}, the worst evicted when a better one
 * arrives. Scores are kept in double precision because Hugging Face computes them with Python floats
 * ({@code next_score.item() / generated_len ** length_penalty}); the list order and the tie rules follow its
 * list-based bookkeeping, so equal scores resolve the same way.
 */
final class BeamHypotheses {

    record Hypothesis(double score, int[] tokens) {}

    private final int numBeams;
    private final double lengthPenalty;
    private final EarlyStopping earlyStopping;
    private final int maxLength;
    private final List<Hypothesis> beams = new ArrayList<>();
    private double worstScore = 1e9;

    BeamHypotheses(int numBeams, double lengthPenalty, EarlyStopping earlyStopping, int maxLength) {
        this.numBeams = numBeams;
        this.lengthPenalty = lengthPenalty;
        this.earlyStopping = earlyStopping;
        this.maxLength = maxLength;
    }

    int size() {
        return beams.size();
    }

    /**
     * Offers a hypothesis.
     *
     * @param tokens       its ids (start token included, a final {@code </s>} not)
     * @param sumLogProbs  its log-probability sum
     * @param generatedLen ids after the start token, a final {@code </s>} included
     */
    void add(int[] tokens, float sumLogProbs, int generatedLen) {
        double score = (double) sumLogProbs / Math.pow(generatedLen, lengthPenalty);
        if (beams.size() < numBeams || score > worstScore) {
            beams.add(new Hypothesis(score, tokens));
            if (beams.size() > numBeams) {
                // Evict the lowest score (the first such on ties); the new worst is the second lowest.
                int lowest = lowestIndex(-1);
                int second = lowestIndex(lowest);
                worstScore = beams.get(second).score();
                beams.remove(lowest);
            } else {
                worstScore = Math.min(score, worstScore);
            }
        }
    }

    /** Index of the lowest score, ties to the lower index, skipping {@code skip}. */
    private int lowestIndex(int skip) {
        int best = -1;
        for (int i = 0; i < beams.size(); i++) {
            if (i != skip && (best < 0 || beams.get(i).score() < beams.get(best).score())) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Whether no running beam can improve this source any more.
     *
     * @param bestSumLogProbs the best candidate score of this step
     * @param curLen          the length the running beams will have after this step, start token included
     */
    boolean isDone(float bestSumLogProbs, int curLen) {
        if (beams.size() < numBeams) {
            return false;
        }
        return switch (earlyStopping) {
            case TRUE -> true;
            case FALSE -> worstScore >= bestSumLogProbs / Math.pow(curLen - 1, lengthPenalty);
            case NEVER -> {
                int len = lengthPenalty > 0.0 ? maxLength - 1 : curLen - 1;
                yield worstScore >= bestSumLogProbs / Math.pow(len, lengthPenalty);
            }
        };
    }

    /** The best hypothesis; on equal scores the one added last, as a stable sort followed by pop() gives. */
    Hypothesis best() {
        Hypothesis best = null;
        for (Hypothesis h : beams) {
            if (best == null || h.score() >= best.score()) {
                best = h;
            }
        }
        if (best == null) {
            throw new IllegalStateException("no finished hypothesis");
        }
        return best;
    }
}
