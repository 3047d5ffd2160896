package dev.m2m100.tools.randommodel;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a random model folder of a family needs beside the shapes: its tokenizer files (bundled in the tool from
 * the family's test fixture), its generation_config.json and its config.json extras, as the real repositories have
 * them.
 */
public enum PresetFamily {
    /** facebook/m2m100_*: vocab.json + SentencePiece, 5 beams with early stopping. */
    M2M100("tokenizer/", List.of("sentencepiece.bpe.model", "vocab.json"),
            List.of("tokenizer_config.json", "special_tokens_map.json")),
    /** facebook/nllb-200-*: SentencePiece + tokenizer_config.json (the ids), greedy by default. */
    NLLB("nllb-tokenizer/", List.of("sentencepiece.bpe.model", "tokenizer_config.json"),
            List.of("special_tokens_map.json"));

    /** Classpath folder (next to this class) of the bundled tokenizer files. */
    final String bundledTokenizer;
    final List<String> requiredTokenizerFiles;
    final List<String> optionalTokenizerFiles;

    PresetFamily(String bundledTokenizer, List<String> required, List<String> optional) {
        this.bundledTokenizer = bundledTokenizer;
        this.requiredTokenizerFiles = required;
        this.optionalTokenizerFiles = optional;
    }

    /** The family's published generation_config.json (m2m100_418M's; nllb-200-distilled-600M's). */
    Map<String, Object> generationConfig() {
        Map<String, Object> g = new TreeMap<>();
        g.put("bos_token_id", 0);
        g.put("decoder_start_token_id", 2);
        g.put("eos_token_id", 2);
        g.put("max_length", 200);
        g.put("pad_token_id", 1);
        g.put("transformers_version", "4.43.4");
        if (this == M2M100) {
            g.put("early_stopping", true);
            g.put("num_beams", 5);
        } else {
            g.put("_from_model_config", true);
        }
        return g;
    }

    /** Keys the family's config.json has beyond the shared M2M100 ones. */
    Map<String, Object> configExtras() {
        return this == NLLB ? Map.of("tokenizer_class", "NllbTokenizer", "max_length", 200) : Map.of();
    }
}
