package dev.m2m100.engine;

/**
 * Per-request generation settings. {@code null} fields fall back to the model's generation_config.json.
 *
 * @param numBeams      1 = greedy search; k &gt; 1 = beam search with k beams
 * @param maxNewTokens  upper bound on generated tokens after the decoder start token (forced language token
 *                      included), as Hugging Face's {@code max_new_tokens}
 * @param maxLength     upper bound on the whole decoder sequence, start token included ({@code max_length})
 * @param minNewTokens  {@code </s>} is banned until this many tokens were generated (benchmarks use it to
 *                      force a fixed length)
 * @param lengthPenalty beam-search length penalty (exponent on the hypothesis length)
 * @param earlyStopping beam search stops a source once {@code numBeams} hypotheses are finished
 */
public record GenerationOptions(
        Integer numBeams,
        Integer maxNewTokens,
        Integer maxLength,
        Integer minNewTokens,
        Double lengthPenalty,
        Boolean earlyStopping) {

    /** Everything from the model's generation config. */
    public static final GenerationOptions DEFAULTS = new GenerationOptions(null, null, null, null, null, null);

    public GenerationOptions withNumBeams(int beams) {
        return new GenerationOptions(beams, maxNewTokens, maxLength, minNewTokens, lengthPenalty, earlyStopping);
    }

    public GenerationOptions withMaxNewTokens(int tokens) {
        return new GenerationOptions(numBeams, tokens, maxLength, minNewTokens, lengthPenalty, earlyStopping);
    }
}
