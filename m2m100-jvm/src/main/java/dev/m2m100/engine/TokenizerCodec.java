package dev.m2m100.engine;

import dev.m2m100.tokenizer.M2M100Tokenizer;
import java.util.List;

/** The M2M100 SentencePiece tokenizer as the translator's {@link TextCodec}. */
public record TokenizerCodec(M2M100Tokenizer tokenizer) implements TextCodec {

    @Override
    public int[] encode(String text, String lang) {
        return tokenizer.encode(text, lang);
    }

    @Override
    public String decode(int[] ids) {
        return tokenizer.decode(ids);
    }

    @Override
    public int languageId(String lang) {
        return tokenizer.languageId(lang);
    }

    @Override
    public List<String> languages() {
        return tokenizer.languages();
    }
}
