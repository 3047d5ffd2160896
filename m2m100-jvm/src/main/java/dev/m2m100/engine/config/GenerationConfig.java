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

    static GenerationConfig fromJson(JsonNode gen, Path file, JsonNode modelConfig) {
        JsonFields g = new JsonFields(gen, file);
        JsonFields m = new JsonFields(modelConfig, file);
        return new GenerationConfig(
                g.optionalInt("num_beams", 1),
                g.optionalInt("max_length", 20),
                g.has("max_new_tokens") ? g.optionalInt("max_new_tokens", 0) : null,
                g.optionalInt("min_length", 0),
                earlyStopping(gen.get("early_stopping"), file),
                g.optionalDouble("length_penalty", 1.0),
                g.optionalInt("decoder_start_token_id", m.optionalInt("decoder_start_token_id", 2)),
                g.optionalInt("bos_token_id", m.optionalInt("bos_token_id", 0)),
                g.optionalInt("eos_token_id", m.optionalInt("eos_token_id", 2)),
                g.optionalInt("pad_token_id", m.optionalInt("pad_token_id", 1)));
    }

    private static EarlyStopping earlyStopping(JsonNode value, Path file) {
        if (value == null || value.isNull()) {
            return EarlyStopping.FALSE;
        }
        if (value.isBoolean()) {
            return EarlyStopping.of(value.booleanValue());
        }
        if (value.isTextual() && value.textValue().equals("never")) {
            return EarlyStopping.NEVER;
        }
        throw new IllegalArgumentException(file + ": 'early_stopping' must be true, false or \"never\", got " + value);
    }
}
