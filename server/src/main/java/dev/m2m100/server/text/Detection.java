package dev.m2m100.server.text;

/**
 * A detected language.
 *
 * @param language   a model language code
 * @param confidence 0..1 (the detector's probabilities over the model's languages sum to 1); 0 when the
 *                   text gave nothing to go by and {@code language} is the fallback
 */
public record Detection(String language, double confidence) {}
