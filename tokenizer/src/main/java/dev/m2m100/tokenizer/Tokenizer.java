package dev.m2m100.tokenizer;

import java.util.List;

/** What every family's tokenizer offers (M2M100Tokenizer, NllbTokenizer): the engine's codec wraps any of them. */
public interface Tokenizer {

    /** Encoder input ids: the source language token, the text's ids, {@code </s>}. */
    int[] encode(String text, String srcLang);

    /** {@code decode(ids, skip_special_tokens=True)}. */
    String decode(int[] ids);

    /** {@code decode(ids)}: special tokens kept. */
    String decodeWithSpecial(int[] ids);

    /** The id of a language code's token; {@link UnsupportedLanguageException} for a code it does not have. */
    int languageId(String code);

    /** The language codes in the tokenizer's order. */
    List<String> languages();

    /** English name of one of its language codes. */
    String languageName(String code);

    /** {@code len(tokenizer)}. */
    int size();
}
