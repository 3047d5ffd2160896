package dev.m2m100.engine.family;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.m2m100.engine.TextCodec;
import dev.m2m100.engine.family.m2m100.M2M100Family;
import dev.m2m100.engine.family.nllb.NllbFamily;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The registry of model families and the rule that picks one for a folder: the {@code tokenizer_class} of
 * tokenizer_config.json (then of config.json), else the files present. A new family is one package with a
 * {@link ModelFamily} and one line in {@link #ALL}.
 */
public final class ModelFamilies {

    /** Every family the engine can serve. */
    public static final List<ModelFamily> ALL = List.of(new M2M100Family(), new NllbFamily());

    private static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    private static final String MODEL_CONFIG = "config.json";

    private ModelFamilies() {
    }

    /** Opens the codec of the family the folder belongs to. */
    public static TextCodec openCodec(Path modelDir) throws IOException {
        return of(modelDir).openCodec(modelDir);
    }

    /**
     * The family of a model folder.
     *
     * @throws UnknownModelFamilyException naming the folder and what was found when no family (or more than one)
     *                                     claims it
     */
    public static ModelFamily of(Path modelDir) throws IOException {
        if (!Files.isDirectory(modelDir)) {
            throw new NoSuchFileException(modelDir.toString(), null, "model directory not found");
        }
        String tokenizerClass = tokenizerClass(modelDir.resolve(TOKENIZER_CONFIG));
        String source = TOKENIZER_CONFIG;
        if (tokenizerClass == null) {
            tokenizerClass = tokenizerClass(modelDir.resolve(MODEL_CONFIG));
            source = MODEL_CONFIG;
        }
        if (tokenizerClass != null) {
            String slow = tokenizerClass.endsWith("Fast") ? tokenizerClass.substring(0, tokenizerClass.length() - 4)
                    : tokenizerClass;
            for (ModelFamily f : ALL) {
                if (f.tokenizerClasses().contains(slow)) {
                    return f;
                }
            }
            throw new UnknownModelFamilyException(modelDir + ": tokenizer_class '" + tokenizerClass + "' (in " + source
                    + ") is not a family this engine serves; known: " + knownClasses());
        }
        Set<String> files = files(modelDir);
        List<ModelFamily> matches = ALL.stream().filter(f -> f.recognisesFiles(files)).toList();
        if (matches.size() == 1) {
            return matches.getFirst();
        }
        throw new UnknownModelFamilyException(modelDir + ": cannot tell the model family: no tokenizer_class in "
                + TOKENIZER_CONFIG + " or " + MODEL_CONFIG + ", and the files " + files
                + (matches.isEmpty() ? " match no family" : " match " + matches.stream().map(ModelFamily::name).toList())
                + "; known tokenizer classes: " + knownClasses());
    }

    private static String knownClasses() {
        return ALL.stream().flatMap(f -> f.tokenizerClasses().stream()).sorted().collect(Collectors.joining(", "));
    }

    /** The {@code tokenizer_class} of a JSON file, or null when the file or the key is absent. */
    private static String tokenizerClass(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        JsonNode node;
        try {
            node = new ObjectMapper().readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + ": invalid JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode c = node == null ? null : node.get("tokenizer_class");
        return c != null && c.isTextual() && !c.textValue().isBlank() ? c.textValue() : null;
    }

    private static Set<String> files(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
