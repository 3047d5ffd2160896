package dev.m2m100.engine.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.m2m100.engine.GenerationOptions;
import dev.m2m100.engine.config.GenerationConfig;
import org.junit.jupiter.api.Test;

class SearchSettingsTest {
    /** facebook/m2m100_418M's generation_config.json: 5 beams, max_length 200, early stopping. */
    static final GenerationConfig M2M100 = new GenerationConfig(5, 200, null, 0, EarlyStopping.TRUE, 1.0, 2, 0, 2, 1);

    @Test
    void defaultsComeFromTheGenerationConfig() {
        SearchSettings s = SearchSettings.resolve(M2M100, GenerationOptions.DEFAULTS, 4017);
        assertEquals(5, s.numBeams());
        assertEquals(200, s.maxLength());
        assertEquals(EarlyStopping.TRUE, s.earlyStopping());
        assertEquals(1.0, s.lengthPenalty());
        assertEquals(2, s.decoderStartTokenId());
        assertEquals(4017, s.forcedTokenId());
        assertEquals(10, s.candidatesPerRow());
    }

    @Test
    void maxNewTokensCountsFromTheStartTokenAndWinsOverMaxLength() {
        assertEquals(25, SearchSettings.resolve(M2M100, new GenerationOptions(null, 24, 100, null, null, null), 7).maxLength());
        assertEquals(100, SearchSettings.resolve(M2M100, new GenerationOptions(null, null, 100, null, null, null), 7).maxLength());
        GenerationConfig withNewTokens = new GenerationConfig(5, 200, 30, 0, EarlyStopping.TRUE, 1.0, 2, 0, 2, 1);
        assertEquals(31, SearchSettings.resolve(withNewTokens, GenerationOptions.DEFAULTS, 7).maxLength());
        assertEquals(50, SearchSettings.resolve(withNewTokens, new GenerationOptions(null, null, 50, null, null, null), 7).maxLength());
    }

    @Test
    void rulesForceTheLanguageFirstThenBanEosWhileTooShort() {
        SearchSettings s = SearchSettings.resolve(M2M100, new GenerationOptions(1, null, null, 3, null, null), 7);
        assertEquals(LogitRule.force(7), s.ruleAt(1));
        assertEquals(LogitRule.ban(2), s.ruleAt(2));
        assertEquals(LogitRule.ban(2), s.ruleAt(3));
        assertEquals(LogitRule.NONE, s.ruleAt(4));
        assertEquals(1, s.candidatesPerRow());
    }

    @Test
    void impossibleSettingsAreRejectedWithTheirName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchSettings.resolve(M2M100,
                GenerationOptions.DEFAULTS.withMaxNewTokens(0), 7)).getMessage().contains("maxNewTokens"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchSettings.resolve(M2M100,
                GenerationOptions.DEFAULTS.withNumBeams(0), 7)).getMessage().contains("numBeams"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchSettings.resolve(M2M100,
                new GenerationOptions(null, null, 1, null, null, null), 7)).getMessage().contains("max_length"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchSettings.resolve(M2M100,
                new GenerationOptions(null, null, null, null, Double.NaN, null), 7)).getMessage().contains("lengthPenalty"));
    }
}
