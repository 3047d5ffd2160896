package dev.m2m100.engine.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The architecture of an M2M100 checkpoint, from Hugging Face's {@code config.json} plus
 * {@code generation_config.json}. Unknown keys are ignored; a missing required key is an error naming it.
 */
public record ModelConfig(
        int dModel,
        int encoderLayers,
        int decoderLayers,
        int encoderAttentionHeads,
        int decoderAttentionHeads,
        int encoderFfnDim,
        int decoderFfnDim,
        int vocabSize,
        int maxPositionEmbeddings,
        boolean scaleEmbedding,
        String activationFunction,
        int padTokenId,
        int bosTokenId,
        int eosTokenId,
        int decoderStartTokenId,
        GenerationConfig generation) {

    public ModelConfig {
        if (dModel % encoderAttentionHeads != 0 || dModel % decoderAttentionHeads != 0) {
            throw new IllegalArgumentException("d_model " + dModel + " is not divisible by the number of attention heads");
        }
        if (!"relu".equals(activationFunction)) {
            throw new IllegalArgumentException("activation_function '" + activationFunction + "' is not supported (only relu)");
        }
    }

    public int headDim() {
        return dModel / encoderAttentionHeads;
    }

    /** Reads {@code config.json} and, if present, {@code generation_config.json} from a model folder. */
    public static ModelConfig load(Path modelDir) throws IOException {
        Path configFile = modelDir.resolve("config.json");
        JsonNode c = readJson(configFile);
        JsonFields f = new JsonFields(c, configFile);
        Path genFile = modelDir.resolve("generation_config.json");
        GenerationConfig generation = Files.exists(genFile)
                ? GenerationConfig.fromJson(readJson(genFile), genFile, c)
                : GenerationConfig.fromJson(c, configFile, c);
        return new ModelConfig(
                f.requiredInt("d_model"),
                f.requiredInt("encoder_layers"),
                f.requiredInt("decoder_layers"),
                f.requiredInt("encoder_attention_heads"),
                f.requiredInt("decoder_attention_heads"),
                f.requiredInt("encoder_ffn_dim"),
                f.requiredInt("decoder_ffn_dim"),
                f.requiredInt("vocab_size"),
                f.requiredInt("max_position_embeddings"),
                f.optionalBoolean("scale_embedding", true),
                f.optionalString("activation_function", "relu"),
                f.optionalInt("pad_token_id", 1),
                f.optionalInt("bos_token_id", 0),
                f.optionalInt("eos_token_id", 2),
                f.optionalInt("decoder_start_token_id", 2),
                generation);
    }

    static JsonNode readJson(Path file) throws IOException {
        try {
            return new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new IOException("model folder has no " + file.getFileName() + " (" + file + ")", e);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
