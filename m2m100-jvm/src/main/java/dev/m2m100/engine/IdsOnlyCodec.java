package dev.m2m100.engine;

import dev.m2m100.engine.language.LanguageTable;

/**
 * A codec for engines that generate from token ids only (the benchmark, id-level tests): no tokenizer is loaded,
 * so any attempt to go through text is a bug of the caller.
 */
public final class IdsOnlyCodec implements TextCodec {

    public static final IdsOnlyCodec INSTANCE = new IdsOnlyCodec();

    private static final String WHY = "this engine runs on token ids; no tokenizer is loaded";

    private IdsOnlyCodec() {
    }

    @Override
    public int[] encode(String text, String lang) {
        throw new UnsupportedOperationException(WHY);
    }

    @Override
    public String decode(int[] ids) {
        throw new UnsupportedOperationException(WHY);
    }

    @Override
    public String decodeWithSpecial(int[] ids) {
        throw new UnsupportedOperationException(WHY);
    }

    @Override
    public int languageId(String lang) {
        throw new UnsupportedOperationException(WHY);
    }

    @Override
    public LanguageTable languageTable() {
        return LanguageTable.empty();
    }

    @Override
    public int vocabularySize() {
        return 0;
    }

    @Override
    public String family() {
        return "ids only";
    }
}
