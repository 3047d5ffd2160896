package dev.m2m100.tools.bench;

import java.util.List;

/**
 * One benchmark case: which sources, how many beams, how many sources are submitted together (the next group
 * is submitted when the previous one has finished), and how many tokens each sequence generates.
 *
 * @param name      "a", "b", … or "custom"
 * @param sources   the encoder inputs, in order
 * @param beams     1 = greedy search
 * @param batchSize sources per submission
 * @param newTokens generated tokens per sequence, the forced language token included (exactly this many)
 */
public record BenchCase(String name, List<int[]> sources, int beams, int batchSize, int newTokens) {

    public BenchCase {
        if (sources.isEmpty() || beams < 1 || batchSize < 1 || newTokens < 1) {
            throw new IllegalArgumentException("case " + name + ": needs sources, beams >= 1, batch size >= 1 and"
                    + " new tokens >= 1, got " + sources.size() + " sources, " + beams + " beams, batch " + batchSize
                    + ", " + newTokens + " new tokens");
        }
        sources = List.copyOf(sources);
    }

    /** The sources in submission order, cut into groups of {@link #batchSize}. */
    public List<List<int[]>> batches() {
        List<List<int[]>> out = new java.util.ArrayList<>();
        for (int i = 0; i < sources.size(); i += batchSize) {
            out.add(sources.subList(i, Math.min(sources.size(), i + batchSize)));
        }
        return out;
    }

    /** Most decoder rows open at once (one group, every source with its beams). */
    public int maxRows() {
        return Math.min(batchSize, sources.size()) * beams;
    }
}
