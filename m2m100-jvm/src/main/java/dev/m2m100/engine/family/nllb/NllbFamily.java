package dev.m2m100.engine.family.nllb;

import dev.m2m100.engine.TextCodec;
import dev.m2m100.engine.TokenizerCodec;
import dev.m2m100.engine.family.ModelFamily;
import dev.m2m100.tokenizer.NllbTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/** facebook/nllb-200-*: NllbTokenizer, 202 languages as {@code eng_Latn}-style tokens after the pieces. */
public final class NllbFamily implements ModelFamily {

    @Override
    public String name() {
        return "NLLB";
    }

    @Override
    public Set<String> tokenizerClasses() {
        return Set.of("NllbTokenizer");
    }

    /** The SentencePiece model without vocab.json: NLLB's vocabulary is the SentencePiece model itself. */
    @Override
    public boolean recognisesFiles(Set<String> files) {
        return files.contains(NllbTokenizer.SPM_FILE) && !files.contains("vocab.json");
    }

    @Override
    public TextCodec openCodec(Path modelDir) throws IOException {
        return new TokenizerCodec(name(), NllbTokenizer.load(modelDir));
    }
}
