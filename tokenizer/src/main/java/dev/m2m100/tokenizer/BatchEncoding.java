package dev.m2m100.tokenizer;

/**
 * Encoder input for a batch: rows right-padded with {@code <pad>} to the longest row, and the attention
 * mask (1 on real tokens, 0 on padding), as {@code tokenizer(texts, padding=True)} returns them.
 */
public record BatchEncoding(int[][] inputIds, int[][] attentionMask) {

    public int batchSize() {
        return inputIds.length;
    }

    /** Length of every (padded) row; 0 for an empty batch. */
    public int sequenceLength() {
        return inputIds.length == 0 ? 0 : inputIds[0].length;
    }
}
