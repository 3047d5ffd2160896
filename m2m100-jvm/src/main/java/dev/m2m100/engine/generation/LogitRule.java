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
    record Force(int tokenId) implements LogitRule {

        /**
         * The k best entries of a row under this rule, whatever its logits: the forced id at 0, then the lowest
         * other ids at -Infinity (ties go to the lower id), as {@link StepModel#step} specifies. So a step need
         * not compute the logits of such a row.
         */
        public void topK(int k, float[] outLogProbs, int[] outIds, int offset) {
            outLogProbs[offset] = 0f;
            outIds[offset] = tokenId;
            int id = 0;
            for (int i = 1; i < k; i++, id++) {
                if (id == tokenId) {
                    id++;
                }
                outLogProbs[offset + i] = Float.NEGATIVE_INFINITY;
                outIds[offset + i] = id;
            }
        }
    }

    /** {@code tokenId} may not follow. */
    record Ban(int tokenId) implements LogitRule {}
}
