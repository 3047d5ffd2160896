package dev.m2m100.tokenizer;

import java.util.List;

/** What every family's tokenizer offers (M2M100Tokenizer, NllbTokenizer): the engine's codec wraps any of them. */
public interface Tokenizer {

    /** Encoder input ids: the source language token, the text's ids, {@code </s>}. */
    int[] encode(String text, String srcLang);

    /** {@code decode(ids, skip_special_tokens=skipSpecial)} with Hugging Face's clean-up of spaces. */
    String decode(int[] ids, boolean skipSpecial);

    /** {@code decode(ids, skip_special_tokens=True)}. */
    default String decode(int[] ids) {
        return decode(ids, true);
    }

    /** {@code decode(ids)}: special tokens kept. */
    default String decodeWithSpecial(int[] ids) {
        return decode(ids, false);
    }

    /** The id of a language code's token; {@link UnsupportedLanguageException} for a code it does not have. */
    int languageId(String code);

    /** The language codes in the tokenizer's order. */
    List<String> languages();

    /** English name of one of its language codes. */
    String languageName(String code);

    /** {@code len(tokenizer)}. */
    int size();
}
