package dev.m2m100.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A benchmark workload file (see testdata/bench-workload.README.md): token-id sources, the forced target
 * language id, the fixed number of generated tokens, and named cases (source indices, beam size, batch size).
 *
 * @param name         where it was read from (for messages)
 * @param sources      encoder inputs
 * @param targetLangId forced first generated token
 * @param newTokens    generated tokens per sequence, the forced one included
 * @param cases        by name, in file order
 */
public record BenchWorkload(String name, List<int[]> sources, int targetLangId, int newTokens,
                            Map<String, BenchCase> cases) {

    public BenchWorkload {
        sources = List.copyOf(sources);
        cases = Collections.unmodifiableMap(new LinkedHashMap<>(cases));
    }

    /** The standard workload (testdata/bench-workload.json), shipped inside the tool so it works anywhere. */
    public static final String STANDARD = "testdata/bench-workload.json";
    private static final String STANDARD_RESOURCE = "bench-workload.json";

    /** Reads and checks a workload file; errors name the file and the field. */
    public static BenchWorkload load(Path file) throws IOException {
        return parse(file.toString(), Files.readAllBytes(file));
    }

    /** The standard workload, from the classpath. */
    public static BenchWorkload standard() throws IOException {
        try (InputStream in = BenchWorkload.class.getResourceAsStream(STANDARD_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(STANDARD_RESOURCE + " is missing from the tools jar");
            }
            return parse(STANDARD + " (bundled)", in.readAllBytes());
        }
    }

    /** Parses and checks a workload; errors name {@code file} and the field. */
    static BenchWorkload parse(String file, byte[] json) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": expected a JSON object");
        }
        List<int[]> sources = new ArrayList<>();
        JsonNode src = root.get("sources");
        if (src == null || !src.isArray() || src.isEmpty()) {
            throw new IllegalArgumentException(file + ": 'sources' must be a non-empty array of id arrays");
        }
        for (int i = 0; i < src.size(); i++) {
            sources.add(ids(file, "sources[" + i + "]", src.get(i)));
        }
        int target = intField(file, root.path("target_lang_token"), "target_lang_token.id", "id");
        int newTokens = intField(file, root, "new_tokens_per_sequence", "new_tokens_per_sequence");
        if (newTokens < 1) {
            throw new IllegalArgumentException(file + ": 'new_tokens_per_sequence' must be >= 1, got " + newTokens);
        }
        Map<String, BenchCase> cases = new LinkedHashMap<>();
        JsonNode cs = root.get("cases");
        if (cs == null || !cs.isObject()) {
            throw new IllegalArgumentException(file + ": 'cases' must be an object of named cases");
        }
        for (var it = cs.fields(); it.hasNext(); ) {
            var e = it.next();
            String where = "cases." + e.getKey();
            int[] indices = ids(file, where + ".sources", e.getValue().get("sources"));
            List<int[]> chosen = new ArrayList<>();
            for (int index : indices) {
                if (index < 0 || index >= sources.size()) {
                    throw new IllegalArgumentException(file + ": " + where + ".sources names source " + index
                            + " but there are " + sources.size());
                }
                chosen.add(sources.get(index));
            }
            int beams = intField(file, e.getValue(), where + ".beam_size", "beam_size");
            int batch = intField(file, e.getValue(), where + ".batch_size", "batch_size");
            try {
                cases.put(e.getKey(), new BenchCase(e.getKey(), chosen, beams, batch, newTokens));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(file + ": " + ex.getMessage());
            }
        }
        return new BenchWorkload(file, sources, target, newTokens, cases);
    }

    private static int intField(String file, JsonNode parent, String where, String name) {
        JsonNode n = parent == null ? null : parent.get(name);
        if (n == null || !n.canConvertToInt() || !n.isIntegralNumber()) {
            throw new IllegalArgumentException(file + ": '" + where + "' must be an integer");
        }
        return n.intValue();
    }

    private static int[] ids(String file, String where, JsonNode n) {
        if (n == null || !n.isArray() || n.isEmpty()) {
            throw new IllegalArgumentException(file + ": '" + where + "' must be a non-empty array of integers");
        }
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = n.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw new IllegalArgumentException(file + ": '" + where + "[" + i + "]' is not an integer: " + v);
            }
            out[i] = v.intValue();
        }
        return out;
    }

    /** Checks every id against the model's vocabulary, naming the first bad one. */
    public void checkVocabulary(int vocabSize) {
        for (int i = 0; i < sources.size(); i++) {
            for (int id : sources.get(i)) {
                if (id < 0 || id >= vocabSize) {
                    throw new IllegalArgumentException(name + ": sources[" + i + "] holds id " + id
                            + " outside the model's vocabulary [0, " + vocabSize + ")");
                }
            }
        }
        if (targetLangId < 0 || targetLangId >= vocabSize) {
            throw new IllegalArgumentException(name + ": target_lang_token.id " + targetLangId
                    + " is outside the model's vocabulary [0, " + vocabSize + ")");
        }
    }
}
