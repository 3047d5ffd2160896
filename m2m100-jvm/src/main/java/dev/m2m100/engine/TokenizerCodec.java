package dev.m2m100.engine;

import dev.m2m100.engine.language.LanguageTable;
import dev.m2m100.tokenizer.Tokenizer;

/** A family's tokenizer as the engine's {@link TextCodec}, with its language table built once. */
public final class TokenizerCodec implements TextCodec {
    private final String family;
    private final Tokenizer tokenizer;
    private final LanguageTable languages;

    public TokenizerCodec(String family, Tokenizer tokenizer) {
        this.family = family;
        this.tokenizer = tokenizer;
        this.languages = LanguageTable.of(tokenizer.languages().stream()
                .map(code -> new LanguageTable.Language(code, tokenizer.languageName(code))).toList());
    }

    @Override
    public int[] encode(String text, String lang) {
        return tokenizer.encode(text, lang);
    }

    @Override
    public String decode(int[] ids) {
        return tokenizer.decode(ids);
    }

    @Override
    public String decodeWithSpecial(int[] ids) {
        return tokenizer.decodeWithSpecial(ids);
    }

    @Override
    public int languageId(String lang) {
        return tokenizer.languageId(lang);
    }

    @Override
    public LanguageTable languageTable() {
        return languages;
    }

    @Override
    public int vocabularySize() {
        return tokenizer.size();
    }

    @Override
    public String family() {
        return family;
    }
}
