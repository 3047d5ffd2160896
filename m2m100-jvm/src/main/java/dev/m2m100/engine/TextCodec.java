package dev.m2m100.engine;

import dev.m2m100.engine.language.LanguageTable;

/**
 * A model family's text side, all the engine knows of it: text to encoder input ids, generated ids back to text,
 * the language tokens and the language table. Chosen from the model folder by
 * {@link dev.m2m100.engine.family.ModelFamilies}; kept apart from the concrete tokenizers so the translator can
 * also be tested over toy vocabularies.
 */
public interface TextCodec {

    /**
     * Complete encoder input: source language token, pieces, {@code </s>}.
     *
     * @param lang one of the model's own codes ({@link LanguageTable#codes()})
     * @throws dev.m2m100.tokenizer.UnsupportedLanguageException for a code the model does not have
     */
    int[] encode(String text, String lang);

    /** Generated ids back to text, special tokens dropped. */
    String decode(int[] ids);

    /** Ids back to text with the special tokens kept (the tokenizer's plain {@code decode}). */
    String decodeWithSpecial(int[] ids);

    /**
     * Id of a language's token ({@code __ja__} on M2M100, {@code jpn_Jpan} on NLLB).
     *
     * @param lang one of the model's own codes
     * @throws dev.m2m100.tokenizer.UnsupportedLanguageException for a code the model does not have
     */
    int languageId(String lang);

    /** The model's languages, their names, and the resolver from what clients write to the model's codes. */
    LanguageTable languageTable();

    /** Number of ids the tokenizer can produce ({@code len(tokenizer)}); the model's vocabulary must cover it. */
    int vocabularySize();

    /** The family's name for logs ("M2M100", "NLLB"). */
    String family();
}
