package dev.m2m100.engine.generation;

/**
 * One input's result, as Hugging Face's {@code generate} returns it for that input alone: decoder start token,
 * forced language token, the generated tokens, {@code </s>} when one was produced, no padding.
 *
 * @param tokens the id sequence
 * @param score  beam search: the returned hypothesis' score ({@code sequences_scores}: log-prob sum divided by
 *               generated length ^ length_penalty); greedy search: {@code NaN}
 */
public record GeneratedSequence(int[] tokens, float score) {

    public GeneratedSequence {
        tokens = tokens.clone();
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GeneratedSequence g && java.util.Arrays.equals(tokens, g.tokens)
                && Float.compare(score, g.score) == 0;
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(tokens) * 31 + Float.hashCode(score);
    }

    @Override
    public String toString() {
        return "GeneratedSequence" + java.util.Arrays.toString(tokens) + (Float.isNaN(score) ? "" : " score " + score);
    }
}
