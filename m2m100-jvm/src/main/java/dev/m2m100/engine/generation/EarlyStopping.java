package dev.m2m100.engine.generation;

/**
 * When beam search may stop for one source, as Hugging Face's {@code early_stopping} (True, False, "never").
 * All three only apply once {@code num_beams} hypotheses have finished.
 */
public enum EarlyStopping {
    /** Stop as soon as {@code num_beams} hypotheses have finished. */
    TRUE,
    /** Stop when the best running beam, normalised by the current length, cannot beat the worst finished one. */
    FALSE,
    /** Stop only when no running beam can beat the worst finished one even at the maximum length. */
    NEVER;

    public static EarlyStopping of(boolean flag) {
        return flag ? TRUE : FALSE;
    }
}
