package dev.m2m100.engine.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.m2m100.engine.generation.EarlyStopping;
import java.nio.file.Path;

/**
 * Default generation settings of a checkpoint ({@code generation_config.json}, falling back to the same keys
 * in {@code config.json}, then to Hugging Face's defaults).
 *
 * @param maxNewTokens {@code null} when the file sets none (then {@code maxLength} bounds generation)
 * @param earlyStopping {@code early_stopping}: true, false or "never", as Hugging Face accepts it
 */
public record GenerationConfig(
        int numBeams,
        int maxLength,
        Integer maxNewTokens,
        int minLength,
        EarlyStopping earlyStopping,
        double lengthPenalty,
        int decoderStartTokenId,
        int bosTokenId,
        int eosTokenId,
        int padTokenId) {

    private static final System.Logger LOG = System.getLogger(GenerationConfig.class.getName());
    /** Beams per sequence: far above real settings, and 2 × beams candidates per row stays an int. */
    static final int MAX_BEAMS = 1024;

    /**
     * The settings in {@code gen} (read from {@code file}), token ids falling back to {@code model}'s. A length
     * limit beyond the model's {@code maxPositions} is lowered to it with a warning: it is the operator's setting,
     * and left as it is every request without its own limit would be refused.
     */
    static GenerationConfig fromJson(JsonNode gen, Path file, JsonFields model, int vocabSize, int maxPositions)
            throws ConfigException {
        JsonFields g = new JsonFields(gen, file);
        int lastToken = vocabSize - 1;
        // max_length counts the decoder start token: the model holds maxPositions ids, so 1 + max_new_tokens as many
        int maxLength = clamped(file, "max_length", g.optionalInt("max_length", 20, 2, Integer.MAX_VALUE),
                maxPositions, maxPositions);
        Integer maxNewTokens = g.has("max_new_tokens")
                ? clamped(file, "max_new_tokens", g.optionalInt("max_new_tokens", 0, 1, Integer.MAX_VALUE),
                        maxPositions - 1, maxPositions)
                : null;
        return new GenerationConfig(
                g.optionalInt("num_beams", 1, 1, MAX_BEAMS),
                maxLength,
                maxNewTokens,
                g.optionalInt("min_length", 0, 0, Integer.MAX_VALUE),
                earlyStopping(gen.get("early_stopping"), file),
                g.optionalDouble("length_penalty", 1.0),
                g.optionalInt("decoder_start_token_id",
                        model.optionalInt("decoder_start_token_id", 2, 0, lastToken), 0, lastToken),
                g.optionalInt("bos_token_id", model.optionalInt("bos_token_id", 0, 0, lastToken), 0, lastToken),
                g.optionalInt("eos_token_id", model.optionalInt("eos_token_id", 2, 0, lastToken), 0, lastToken),
                g.optionalInt("pad_token_id", model.optionalInt("pad_token_id", 1, 0, lastToken), 0, lastToken));
    }

    private static int clamped(Path file, String key, int value, int limit, int maxPositions) {
        if (value <= limit) {
            return value;
        }
        LOG.log(System.Logger.Level.WARNING, file + ": " + key + " " + value + " exceeds what the model's "
                + maxPositions + " positions (max_position_embeddings) allow; using " + limit);
        return limit;
    }

    private static EarlyStopping earlyStopping(JsonNode value, Path file) throws ConfigException {
        if (value == null || value.isNull()) {
            return EarlyStopping.FALSE;
        }
        if (value.isBoolean()) {
            return EarlyStopping.of(value.booleanValue());
        }
        if (value.isTextual() && value.textValue().equals("never")) {
            return EarlyStopping.NEVER;
        }
        throw new ConfigException(file + ": 'early_stopping' must be true, false or \"never\", got " + value);
    }
}
