package dev.m2m100.server.text;

import dev.m2m100.engine.GenerationOptions;

import java.util.List;

/**
 * Texts to translate, as a client gives them.
 *
 * @param texts   the texts (records), in order
 * @param from    source language code, or {@link TextTranslator#AUTO} to detect it per text
 * @param to      target language code
 * @param format  plain text or HTML
 * @param options generation settings, applied per sentence
 */
public record TextJob(List<String> texts, String from, String to, TextFormat format, GenerationOptions options) {
    public TextJob {
        texts = List.copyOf(texts);
    }
}
