package dev.m2m100.engine.generation;

/**
 * The search state of one source sequence: its decoder rows (1 for greedy, one per beam), what each row
 * consumes at the next step, and the bookkeeping after the step. It holds no loop: the scheduler calls
 * {@link #advance} once per decoder step until {@link #isDone()}.
 *
 * <p>Row {@code i} of the search is the scheduler's business to map onto a model row; after {@link #advance},
 * row {@code i} continues the history of row {@code parents()[i]} (beam reordering).
 */
public sealed interface SequenceSearch permits GreedySearch, BeamSearch {

    /** Starts the search that these settings ask for. */
    static SequenceSearch start(SearchSettings settings) {
        return settings.numBeams() == 1 ? new GreedySearch(settings) : new BeamSearch(settings);
    }

    /** Number of decoder rows this search steps (constant for its lifetime). */
    int rowCount();

    /** Candidates per row the step must return. */
    int candidatesPerRow();

    /** Token each row consumes at the next step. */
    int inputToken(int row);

    /**
     * The lowest row whose whole history (start token, every token consumed since, and the next input) equals
     * this row's, or the row itself. Twin rows get the same step output and the same cache (the model is batch
     * invariant), so the scheduler steps only the representatives and copies the result to their twins. Beam
     * search starts every beam on the decoder start token, so its first two steps have one distinct row.
     */
    int representative(int row);

    /** The constraint on every row's next log-probabilities. */
    LogitRule rule();

    /**
     * Consumes one step's output: for row {@code i}, the best {@code candidatesPerRow()} log-probabilities and
     * token ids (best first) at {@code logProbs[offset + i*stride ..]} and {@code ids[offset + i*stride ..]}.
     *
     * @return for each row, the row whose history it continues (identity for greedy)
     */
    int[] advance(float[] logProbs, int[] ids, int offset, int stride);

    boolean isDone();

    /** Tokens chosen in this search so far, over all rows (for statistics). */
    int length();

    /** The final sequence; only once {@link #isDone()}. */
    GeneratedSequence result();
}
