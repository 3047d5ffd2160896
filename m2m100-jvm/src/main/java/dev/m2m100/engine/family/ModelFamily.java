package dev.m2m100.engine.family;

import dev.m2m100.engine.TextCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * One family of checkpoints that share the M2M100 network and differ in their text side (tokenizer, language
 * codes, id layout). A family recognises its folders and opens its codec; {@link ModelFamilies} lists them.
 */
public interface ModelFamily {

    /** Short name for logs and errors ("M2M100", "NLLB"). */
    String name();

    /** The {@code tokenizer_class} values of tokenizer_config.json this family reads ("NllbTokenizer", …). */
    Set<String> tokenizerClasses();

    /**
     * Whether a folder without a {@code tokenizer_class} looks like this family, by the files it has (names
     * only, no directories).
     */
    boolean recognisesFiles(Set<String> files);

    /** Loads the family's tokenizer from the folder, as the engine's codec. */
    TextCodec openCodec(Path modelDir) throws IOException;
}
