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

    // Generous for real checkpoints (m2m100_1.2B: d_model 1024, 24 layers, 16 heads, ffn 8192, vocab 128112,
    // 1024 positions; NLLB-200 3.3B: d_model 2048, 24 layers, 16 heads, ffn 8192, vocab 256206, 1024 positions)
    // and small enough that sizes derived from them stay far from int overflow.
    static final int MAX_LAYERS = 256;
    static final int MAX_HEADS = 1024;
    static final int MAX_WIDTH = 1 << 16;
    static final int MAX_POSITIONS = 1 << 20;
    static final int MAX_VOCAB = 1 << 24;
    /** Values in one weight matrix or one cache layer: what a Java array (and {@code RawMatrix}) holds. */
    static final long MAX_MATRIX = Integer.MAX_VALUE - 16;

    public ModelConfig {
        if (encoderAttentionHeads < 1 || decoderAttentionHeads < 1
                || dModel % encoderAttentionHeads != 0 || dModel % decoderAttentionHeads != 0) {
            throw new IllegalArgumentException("d_model " + dModel + " is not divisible by the number of attention heads");
        }
        if (!"relu".equals(activationFunction)) {
            throw new IllegalArgumentException("activation_function '" + activationFunction + "' is not supported (only relu)");
        }
    }

    public int headDim() {
        return dModel / encoderAttentionHeads;
    }

    /**
     * Reads {@code config.json} and, if present, {@code generation_config.json} from a model folder.
     *
     * @throws ConfigException naming the file and the field when a value is missing, malformed or out of range
     */
    public static ModelConfig load(Path modelDir) throws IOException {
        Path configFile = modelDir.resolve("config.json");
        JsonNode c = readJson(configFile);
        JsonFields f = new JsonFields(c, configFile);
        int dModel = f.requiredInt("d_model", 1, MAX_WIDTH);
        int encoderLayers = f.requiredInt("encoder_layers", 1, MAX_LAYERS);
        int decoderLayers = f.requiredInt("decoder_layers", 1, MAX_LAYERS);
        int encoderHeads = heads(f, "encoder_attention_heads", dModel);
        int decoderHeads = heads(f, "decoder_attention_heads", dModel);
        int encoderFfnDim = f.requiredInt("encoder_ffn_dim", 1, MAX_WIDTH);
        int decoderFfnDim = f.requiredInt("decoder_ffn_dim", 1, MAX_WIDTH);
        int vocabSize = f.requiredInt("vocab_size", 1, MAX_VOCAB);
        // 2: the decoder start token plus at least one generated token
        int maxPositions = f.requiredInt("max_position_embeddings", 2, MAX_POSITIONS);
        int padTokenId = f.optionalInt("pad_token_id", 1, 0, vocabSize - 1);
        fitsOneMatrix(f, "vocab_size", vocabSize, dModel);
        fitsOneMatrix(f, "encoder_ffn_dim", encoderFfnDim, dModel);
        fitsOneMatrix(f, "decoder_ffn_dim", decoderFfnDim, dModel);
        // the position table has max_position_embeddings + pad_token_id + 1 rows (positions start after the pad row)
        fitsOneMatrix(f, "max_position_embeddings + pad_token_id + 1", maxPositions + padTokenId + 1, dModel);
        Path genFile = modelDir.resolve("generation_config.json");
        GenerationConfig generation = Files.exists(genFile)
                ? GenerationConfig.fromJson(readJson(genFile), genFile, f, vocabSize, maxPositions)
                : GenerationConfig.fromJson(c, configFile, f, vocabSize, maxPositions);
        return new ModelConfig(
                dModel,
                encoderLayers,
                decoderLayers,
                encoderHeads,
                decoderHeads,
                encoderFfnDim,
                decoderFfnDim,
                vocabSize,
                maxPositions,
                f.optionalBoolean("scale_embedding", true),
                f.optionalString("activation_function", "relu"),
                padTokenId,
                f.optionalInt("bos_token_id", 0, 0, vocabSize - 1),
                f.optionalInt("eos_token_id", 2, 0, vocabSize - 1),
                f.optionalInt("decoder_start_token_id", 2, 0, vocabSize - 1),
                generation);
    }

    /** A head count in range that splits {@code d_model} evenly (each head gets d_model / heads columns). */
    private static int heads(JsonFields f, String key, int dModel) throws ConfigException {
        int heads = f.requiredInt(key, 1, MAX_HEADS);
        if (dModel % heads != 0) {
            throw f.error("d_model " + dModel + " must be divisible by " + key + ", got " + heads);
        }
        return heads;
    }

    /** {@code rows × d_model} values must fit one array; the single-field bounds alone do not ensure it. */
    private static void fitsOneMatrix(JsonFields f, String rowsName, int rows, int dModel) throws ConfigException {
        long values = (long) rows * dModel;
        if (values > MAX_MATRIX) {
            throw f.error(rowsName + " (" + rows + ") x d_model (" + dModel + ") must be at most " + MAX_MATRIX
                    + " values (one weight matrix), got " + values);
        }
    }

    static JsonNode readJson(Path file) throws IOException {
        try {
            return new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new IOException("model folder has no " + file.getFileName() + " (" + file + ")", e);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new ConfigException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
