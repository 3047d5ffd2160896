package dev.m2m100.engine.generation;

import dev.m2m100.engine.GenerationOptions;
import dev.m2m100.engine.config.GenerationConfig;

/**
 * Everything one sequence's search needs, resolved from the request options and the model's generation
 * config.
 *
 * @param numBeams            1 = greedy search, more = beam search
 * @param maxLength           longest decoder sequence, start token included (Hugging Face's {@code max_length})
 * @param minLength           {@code </s>} is banned while the sequence (start token included) is shorter
 * @param minNewTokens        {@code </s>} is banned until this many tokens were generated
 * @param lengthPenalty       exponent on the generated length that divides a finished hypothesis' log-prob sum
 * @param earlyStopping       beam search stopping rule
 * @param decoderStartTokenId first decoder input
 * @param forcedTokenId       token forced at the first generated position (the target language)
 * @param eosTokenId          ends a hypothesis
 */
public record SearchSettings(
        int numBeams,
        int maxLength,
        int minLength,
        int minNewTokens,
        double lengthPenalty,
        EarlyStopping earlyStopping,
        int decoderStartTokenId,
        int forcedTokenId,
        int eosTokenId) {

    public SearchSettings {
        if (numBeams < 1) {
            throw new IllegalArgumentException("numBeams must be at least 1, got " + numBeams);
        }
        if (maxLength < 2) {
            throw new IllegalArgumentException("the decoder length limit must leave room for at least one new token"
                    + " (max_length >= 2, max_new_tokens >= 1), got max_length " + maxLength);
        }
        if (minLength < 0 || minNewTokens < 0) {
            throw new IllegalArgumentException("minLength/minNewTokens must not be negative: " + minLength + ", " + minNewTokens);
        }
        if (!Double.isFinite(lengthPenalty)) {
            throw new IllegalArgumentException("lengthPenalty must be finite, got " + lengthPenalty);
        }
        if (earlyStopping == null) {
            throw new IllegalArgumentException("earlyStopping is required");
        }
    }

    /**
     * Request options over the model's defaults. The length limit follows Hugging Face: a {@code max_new_tokens}
     * counts from the decoder start token (limit = 1 + max_new_tokens) and wins over a {@code max_length};
     * request values win over the generation config's.
     */
    public static SearchSettings resolve(GenerationConfig config, GenerationOptions options, int forcedTokenId) {
        GenerationOptions o = options == null ? GenerationOptions.DEFAULTS : options;
        int maxLength;
        if (o.maxNewTokens() != null) {
            maxLength = newTokensLimit(o.maxNewTokens());
        } else if (o.maxLength() != null) {
            maxLength = o.maxLength();
        } else if (config.maxNewTokens() != null) {
            maxLength = newTokensLimit(config.maxNewTokens());
        } else {
            maxLength = config.maxLength();
        }
        return new SearchSettings(
                o.numBeams() != null ? o.numBeams() : config.numBeams(),
                maxLength,
                config.minLength(),
                o.minNewTokens() != null ? o.minNewTokens() : 0,
                o.lengthPenalty() != null ? o.lengthPenalty() : config.lengthPenalty(),
                o.earlyStopping() != null ? EarlyStopping.of(o.earlyStopping()) : config.earlyStopping(),
                config.decoderStartTokenId(),
                forcedTokenId,
                config.eosTokenId());
    }

    private static int newTokensLimit(int maxNewTokens) {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be at least 1, got " + maxNewTokens);
        }
        return 1 + maxNewTokens;
    }

    /** Candidates per row the model must return each step: 1 for greedy, 2 × beams for beam search. */
    public int candidatesPerRow() {
        return numBeams == 1 ? 1 : 2 * numBeams;
    }

    /**
     * The constraint for the step that extends sequences of {@code length} ids (start token included), in
     * Hugging Face's processor order: min-length bans first, the forced language token last (it wins).
     */
    LogitRule ruleAt(int length) {
        if (length == 1) {
            return LogitRule.force(forcedTokenId);
        }
        if (length < minLength || length - 1 < minNewTokens) {
            return LogitRule.ban(eosTokenId);
        }
        return LogitRule.NONE;
    }
}
