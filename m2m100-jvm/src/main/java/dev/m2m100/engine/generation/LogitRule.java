package dev.m2m100.engine.generation;

/**
 * A constraint applied to one row's log-probabilities after the log-softmax, as Hugging Face's logits
 * processors do in beam search: a forced token keeps its log-probability set to 0 and every other entry
 * becomes -Infinity ({@code ForcedBOSTokenLogitsProcessor}); a banned token becomes -Infinity
 * ({@code MinNewTokensLengthLogitsProcessor} bans {@code </s>} until enough tokens were generated).
 */
public sealed interface LogitRule {

    /** No constraint. */
    LogitRule NONE = new None();

    static LogitRule force(int tokenId) {
        return new Force(tokenId);
    }

    static LogitRule ban(int tokenId) {
        return new Ban(tokenId);
    }

    record None() implements LogitRule {}

    /** Only {@code tokenId} may follow; its log-probability becomes 0. */
    record Force(int tokenId) implements LogitRule {}

    /** {@code tokenId} may not follow. */
    record Ban(int tokenId) implements LogitRule {}
}
