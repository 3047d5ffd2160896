package dev.m2m100.engine.generation;

import java.util.Arrays;

/**
 * Beam search with Hugging Face's semantics ({@code _beam_search} + {@code BeamSearchScorer}):
 * <ul>
 *   <li>all beams start from the decoder start token, beam 0 with score 0 and the others with -1e9, so the
 *       first steps only expand beam 0;</li>
 *   <li>each step scores {@code beam_score + logprob} for the best {@code 2 × beams} candidates of every
 *       beam and keeps the best {@code 2 × beams} overall (ties: lower beam, then lower token id);</li>
 *   <li>walking them best first, an {@code </s>} ranked below {@code beams} is ignored, one ranked within
 *       it finishes a hypothesis (length = generated ids with the {@code </s>}); other tokens fill the
 *       beams for the next step until {@code beams} are taken;</li>
 *   <li>the source is done once the finished hypotheses satisfy the early-stopping rule; at the length
 *       limit the running beams are added as hypotheses (length = generated ids), as {@code finalize}
 *       does;</li>
 *   <li>the result is the best hypothesis, followed by {@code </s>} when it is shorter than the limit.</li>
 * </ul>
 */
public final class BeamSearch implements SequenceSearch {

    private final SearchSettings settings;
    private final int numBeams;
    private final int k;
    private final BeamHypotheses finished;
    private int[][] beams;
    private float[] scores;
    /** For each beam, the lowest beam with the same history (all beams start alike). */
    private int[] representatives;
    private int length = 1;
    private boolean done;

    // Scratch for the merge of candidates.
    private final float[] candScore;
    private final int[] candToken;
    private final int[] candBeam;

    BeamSearch(SearchSettings settings) {
        if (settings.numBeams() < 2) {
            throw new IllegalArgumentException("beam search takes at least 2 beams, got " + settings.numBeams());
        }
        this.settings = settings;
        this.numBeams = settings.numBeams();
        this.k = settings.candidatesPerRow();
        this.finished = new BeamHypotheses(numBeams, settings.lengthPenalty(), settings.earlyStopping(),
                settings.maxLength());
        this.beams = new int[numBeams][];
        this.scores = new float[numBeams];
        this.representatives = new int[numBeams];
        for (int b = 0; b < numBeams; b++) {
            beams[b] = new int[] {settings.decoderStartTokenId()};
            scores[b] = b == 0 ? 0f : -1e9f;
        }
        this.candScore = new float[numBeams * k];
        this.candToken = new int[numBeams * k];
        this.candBeam = new int[numBeams * k];
    }

    @Override
    public int rowCount() {
        return numBeams;
    }

    @Override
    public int candidatesPerRow() {
        return k;
    }

    @Override
    public int inputToken(int row) {
        return beams[row][length - 1];
    }

    @Override
    public int representative(int row) {
        return representatives[row];
    }

    @Override
    public LogitRule rule() {
        return settings.ruleAt(length);
    }

    @Override
    public int[] advance(float[] logProbs, int[] ids, int offset, int stride) {
        if (done) {
            throw new IllegalStateException("search already finished");
        }
        int n = mergeCandidates(logProbs, ids, offset, stride);
        int eos = settings.eosTokenId();
        int[] parents = new int[numBeams];
        int[] nextTokens = new int[numBeams];
        float[] nextScores = new float[numBeams];
        int filled = 0;
        for (int rank = 0; rank < n && filled < numBeams; rank++) {
            if (candToken[rank] == eos) {
                if (rank < numBeams) {
                    // HF's generated_len counts the ids after the start token, this </s> included.
                    finished.add(beams[candBeam[rank]], candScore[rank], length);
                }
            } else {
                parents[filled] = candBeam[rank];
                nextTokens[filled] = candToken[rank];
                nextScores[filled] = candScore[rank];
                filled++;
            }
        }
        if (filled < numBeams) {
            throw new IllegalStateException("step returned too few candidates to refill " + numBeams + " beams");
        }
        done = finished.isDone(candScore[0], length + 1);

        int[][] next = new int[numBeams][];
        for (int b = 0; b < numBeams; b++) {
            int[] parent = beams[parents[b]];
            int[] extended = Arrays.copyOf(parent, length + 1);
            extended[length] = nextTokens[b];
            next[b] = extended;
        }
        beams = next;
        scores = nextScores;
        representatives = nextRepresentatives(parents, nextTokens);
        length++;

        if (!done && length >= settings.maxLength()) {
            // finalize(): the running beams become hypotheses, their length being all generated ids.
            for (int b = 0; b < numBeams; b++) {
                finished.add(beams[b], scores[b], length - 1);
            }
            done = true;
        }
        return parents;
    }

    /** Beams are twins when their parents were and they took the same token. */
    private int[] nextRepresentatives(int[] parents, int[] nextTokens) {
        int[] next = new int[numBeams];
        for (int b = 0; b < numBeams; b++) {
            int twin = b;
            for (int c = 0; c < b; c++) {
                if (nextTokens[c] == nextTokens[b]
                        && representatives[parents[c]] == representatives[parents[b]]) {
                    twin = c;
                    break;
                }
            }
            next[b] = twin;
        }
        return next;
    }

    /**
     * Merges every beam's best candidates, each shifted by its beam score (float32 sum, as torch adds them),
     * into the best {@code 2 × beams} overall, sorted best first; ties go to the lower flat index
     * {@code beam × vocab + token}, as over the flattened scores.
     */
    private int mergeCandidates(float[] logProbs, int[] ids, int offset, int stride) {
        int total = 0;
        for (int b = 0; b < numBeams; b++) {
            int base = offset + b * stride;
            for (int j = 0; j < k; j++) {
                candScore[total] = scores[b] + logProbs[base + j];
                candToken[total] = ids[base + j];
                candBeam[total] = b;
                total++;
            }
        }
        int keep = Math.min(2 * numBeams, total);
        // Partial selection sort: keep is small (2 × beams).
        for (int i = 0; i < keep; i++) {
            int best = i;
            for (int j = i + 1; j < total; j++) {
                if (better(j, best)) {
                    best = j;
                }
            }
            swap(i, best);
        }
        return keep;
    }

    private boolean better(int a, int b) {
        float sa = candScore[a];
        float sb = candScore[b];
        if (sa != sb) {
            return sa > sb;
        }
        if (candBeam[a] != candBeam[b]) {
            return candBeam[a] < candBeam[b];
        }
        return candToken[a] < candToken[b];
    }

    private void swap(int i, int j) {
        if (i == j) {
            return;
        }
        float s = candScore[i];
        candScore[i] = candScore[j];
        candScore[j] = s;
        int t = candToken[i];
        candToken[i] = candToken[j];
        candToken[j] = t;
        int b = candBeam[i];
        candBeam[i] = candBeam[j];
        candBeam[j] = b;
    }

    @Override
    public boolean isDone() {
        return done;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public GeneratedSequence result() {
        if (!done) {
            throw new IllegalStateException("search not finished");
        }
        BeamHypotheses.Hypothesis best = finished.best();
        int[] hyp = best.tokens();
        // finalize() appends </s> when the hypothesis is shorter than the limit (it finished with </s>).
        int[] out = hyp.length < settings.maxLength() ? Arrays.copyOf(hyp, hyp.length + 1) : hyp.clone();
        if (hyp.length < settings.maxLength()) {
            out[hyp.length] = settings.eosTokenId();
        }
        return new GeneratedSequence(out, (float) best.score());
    }
}
