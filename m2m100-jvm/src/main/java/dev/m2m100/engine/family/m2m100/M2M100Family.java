package dev.m2m100.engine.family.m2m100;

import dev.m2m100.engine.TextCodec;
import dev.m2m100.engine.TokenizerCodec;
import dev.m2m100.engine.family.ModelFamily;
import dev.m2m100.tokenizer.M2M100Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/** facebook/m2m100_418M, m2m100_1.2B: M2M100Tokenizer, 100 languages as {@code __xx__} tokens. */
public final class M2M100Family implements ModelFamily {

    @Override
    public String name() {
        return "M2M100";
    }

    @Override
    public Set<String> tokenizerClasses() {
        return Set.of("M2M100Tokenizer");
    }

    /** vocab.json next to the SentencePiece model: only M2M100 maps pieces through a JSON vocabulary. */
    @Override
    public boolean recognisesFiles(Set<String> files) {
        return files.contains(M2M100Tokenizer.VOCAB_FILE) && files.contains(M2M100Tokenizer.SPM_FILE);
    }

    @Override
    public TextCodec openCodec(Path modelDir) throws IOException {
        return new TokenizerCodec(name(), M2M100Tokenizer.load(modelDir));
    }
}
