package dev.m2m100.engine;

import java.util.List;

/**
 * What the translator needs from a tokenizer: text to encoder input ids and generated ids back to text. Kept
 * apart from the concrete tokenizer so the translator can be tested over toy vocabularies.
 */
public interface TextCodec {

    /**
     * Complete encoder input: source language token, pieces, {@code </s>}.
     *
     * @throws dev.m2m100.tokenizer.UnsupportedLanguageException for an unknown language code
     */
    int[] encode(String text, String lang);

    /** Generated ids back to text, special tokens dropped. */
    String decode(int[] ids);

    /**
     * Id of a language's token ({@code __xx__}).
     *
     * @throws dev.m2m100.tokenizer.UnsupportedLanguageException for an unknown language code
     */
    int languageId(String lang);

    /** Supported language codes, in the model's order. */
    List<String> languages();
}
