package dev.m2m100.engine.testing;

import dev.m2m100.engine.TextCodec;
import java.util.List;

/** A codec for tests that generate from token ids only and never go through text. */
public final class IdOnlyCodec implements TextCodec {

    public static final IdOnlyCodec INSTANCE = new IdOnlyCodec();

    private IdOnlyCodec() {
    }

    @Override
    public int[] encode(String text, String lang) {
        throw new UnsupportedOperationException("id-level test");
    }

    @Override
    public String decode(int[] ids) {
        throw new UnsupportedOperationException("id-level test");
    }

    @Override
    public int languageId(String lang) {
        throw new UnsupportedOperationException("id-level test");
    }

    @Override
    public List<String> languages() {
        return List.of();
    }
}
