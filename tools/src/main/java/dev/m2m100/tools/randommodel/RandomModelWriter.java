package dev.m2m100.tools.randommodel;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.m2m100.engine.safetensors.SafetensorsWriter;
import dev.m2m100.engine.safetensors.SafetensorsWriter.Dtype;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Writes a Hugging Face-layout M2M100ForConditionalGeneration folder (an M2M100 or NLLB-200 checkpoint) with random
 * weights: config.json, generation_config.json, model.safetensors (streamed) and the family's tokenizer files
 * copied from another folder.
 */
public final class RandomModelWriter {

    private RandomModelWriter() {
    }

    /** Writes the folder; returns the number of parameters written. */
    public static long write(Preset preset, Path outDir, long seed, Dtype dtype, Path tokenizerDir) throws IOException {
        PresetFamily family = preset.family();
        for (String f : family.requiredTokenizerFiles) {
            if (!Files.isRegularFile(tokenizerDir.resolve(f))) {
                throw new NoSuchFileException(tokenizerDir.resolve(f).toString(), null,
                        "tokenizer folder " + tokenizerDir + " has no " + f);
            }
        }
        Files.createDirectories(outDir);
        ObjectMapper json = new ObjectMapper();
        DefaultPrettyPrinter pretty = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
        Files.writeString(outDir.resolve("config.json"), json.writer(pretty).writeValueAsString(config(preset, dtype)) + "\n");
        Files.writeString(outDir.resolve("generation_config.json"), json.writer(pretty).writeValueAsString(family.generationConfig()) + "\n");
        for (String f : family.requiredTokenizerFiles) {
            Files.copy(tokenizerDir.resolve(f), outDir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        for (String f : family.optionalTokenizerFiles) {
            if (Files.isRegularFile(tokenizerDir.resolve(f))) {
                Files.copy(tokenizerDir.resolve(f), outDir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }

        int threads = Runtime.getRuntime().availableProcessors();
        List<M2M100Layout.Entry> layout = M2M100Layout.tensors(preset);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            RandomTensors random = new RandomTensors(pool, threads, seed, dtype, preset.dModel());
            List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
            for (M2M100Layout.Entry e : layout) {
                tensors.add(random.tensor(e));
            }
            SafetensorsWriter.write(outDir.resolve("model.safetensors"), Map.of("format", "pt"), tensors);
        }
        return layout.stream().mapToLong(M2M100Layout.Entry::numel).sum();
    }

    /**
     * As {@link #write}, with the family's tokenizer files shipped inside the tool (those of the test fixtures
     * testdata/m2m100-tiny and testdata/nllb-tiny: the real special and language tokens, a small piece vocabulary).
     */
    public static long writeWithBundledTokenizer(Preset preset, Path outDir, long seed, Dtype dtype) throws IOException {
        Path bundled = Files.createTempDirectory("m2m100-tokenizer");
        try {
            PresetFamily family = preset.family();
            for (String f : concat(family.requiredTokenizerFiles, family.optionalTokenizerFiles)) {
                try (InputStream in = RandomModelWriter.class.getResourceAsStream(family.bundledTokenizer + f)) {
                    if (in == null) {
                        throw new IllegalStateException(family.bundledTokenizer + f + " is missing from the tools jar");
                    }
                    Files.copy(in, bundled.resolve(f));
                }
            }
            return write(preset, outDir, seed, dtype, bundled);
        } finally {
            try (var files = Files.list(bundled)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(bundled);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** config.json as transformers' save_pretrained writes it for M2M100 and NLLB (keys sorted). */
    static Map<String, Object> config(Preset p, Dtype dtype) {
        Map<String, Object> c = new TreeMap<>();
        c.put("_name_or_path", p.hubId());
        c.put("activation_dropout", 0.0);
        c.put("activation_function", "relu");
        c.put("architectures", List.of("M2M100ForConditionalGeneration"));
        c.put("attention_dropout", 0.1);
        c.put("bos_token_id", 0);
        c.put("d_model", p.dModel());
        c.put("decoder_attention_heads", p.attentionHeads());
        c.put("decoder_ffn_dim", p.ffnDim());
        c.put("decoder_layerdrop", 0.05);
        c.put("decoder_layers", p.decoderLayers());
        c.put("decoder_start_token_id", 2);
        c.put("dropout", 0.1);
        c.put("encoder_attention_heads", p.attentionHeads());
        c.put("encoder_ffn_dim", p.ffnDim());
        c.put("encoder_layerdrop", 0.05);
        c.put("encoder_layers", p.encoderLayers());
        c.put("eos_token_id", 2);
        c.put("init_std", 0.02);
        c.put("is_encoder_decoder", true);
        c.put("max_position_embeddings", p.maxPositionEmbeddings());
        c.put("model_type", "m2m_100");
        c.put("num_hidden_layers", p.encoderLayers());
        c.put("pad_token_id", 1);
        c.put("scale_embedding", true);
        c.put("torch_dtype", switch (dtype) {
            case F32 -> "float32";
            case F16 -> "float16";
            case BF16 -> "bfloat16";
            case I8 -> throw new IllegalArgumentException("i8");
        });
        c.put("transformers_version", "4.43.4");
        c.put("use_cache", true);
        c.put("vocab_size", p.vocabSize());
        c.putAll(p.family().configExtras());
        return c;
    }
}
