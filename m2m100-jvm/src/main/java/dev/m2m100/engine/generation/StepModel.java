package dev.m2m100.engine.generation;

import java.util.List;

/**
 * What the decode loop needs from an encoder-decoder model: run the encoder once per source, then advance
 * many decoder rows (hypotheses) one token at a time. The transformer implements it over any backend
 * (CPU, CUDA); the scheduler is its only caller, from a single thread, so implementations need not be
 * thread-safe.
 *
 * <p>Sources and rows are identified by small integer slots that the model hands out and takes back. A
 * row's self-attention cache grows by one position per {@link #step}; a source's cross-attention keys and
 * values are computed once by {@link #encode} and shared by all rows opened on it.
 */
public interface StepModel extends AutoCloseable {

    /** Size of the output layer (number of logits per row). */
    int vocabSize();

    /** Longest source, and longest decoder sequence, the model's positions allow. */
    int maxPositions();

    /**
     * Runs the encoder over these sources (complete encoder inputs: language token, pieces, {@code </s>}) as
     * one batch and keeps each one's cross-attention keys and values.
     *
     * @return one source slot per input, in input order
     */
    int[] encode(List<int[]> sources);

    /** Frees a source's cached encoder output. Rows still open on it must be released first. */
    void releaseSource(int sourceSlot);

    /** Opens a decoder row with an empty self-attention cache, attending to the given source. */
    int openRow(int sourceSlot);

    /** Frees a row's cache. */
    void releaseRow(int row);

    /**
     * Beam reordering: for every i, row {@code to[i]} gets a copy of the self-attention cache (and length) of
     * row {@code from[i]}, as if every read happened before any write. Rows must attend to the same source.
     */
    void copyRows(int[] from, int[] to);

    /**
     * One decoder step for many rows at once. Row {@code rows[i]} consumes {@code tokens[i]} at its next
     * position (its current cache length), the logits are turned into log-probabilities (log-softmax over the
     * whole vocabulary), then {@code rules[i]} is applied (see {@link LogitRule}), and the {@code k} best
     * entries are written, best first, to {@code outLogProbs[i*k .. i*k+k)} and {@code outIds[i*k .. i*k+k)}.
     * Ties are broken by the lower token id. Entries banned by a rule are never returned unless fewer than k
     * entries remain (then they appear with log-probability {@code -Infinity}).
     */
    void step(int[] rows, int[] tokens, LogitRule[] rules, int k, float[] outLogProbs, int[] outIds);

    @Override
    void close();
}
