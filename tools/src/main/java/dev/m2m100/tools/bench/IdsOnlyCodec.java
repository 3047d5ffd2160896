package dev.m2m100.tools.bench;

import dev.m2m100.engine.TextCodec;
import java.util.List;

/** The benchmark works on token ids only: any attempt to go through text is a bug of the benchmark. */
final class IdsOnlyCodec implements TextCodec {

    @Override
    public int[] encode(String text, String lang) {
        throw new UnsupportedOperationException("the benchmark runs on token ids; no tokenizer is loaded");
    }

    @Override
    public String decode(int[] ids) {
        throw new UnsupportedOperationException("the benchmark runs on token ids; no tokenizer is loaded");
    }

    @Override
    public int languageId(String lang) {
        throw new UnsupportedOperationException("the benchmark runs on token ids; no tokenizer is loaded");
    }

    @Override
    public List<String> languages() {
        return List.of();
    }
}
