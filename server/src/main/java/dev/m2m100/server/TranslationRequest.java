package dev.m2m100.server;

import dev.m2m100.engine.GenerationOptions;

import java.util.List;

/**
 * A validated {@code POST /translation} body.
 *
 * @param fromLang source language code
 * @param toLang   target language code
 * @param records  the texts, in request order
 * @param options  generation settings ({@link GenerationOptions#DEFAULTS} when the request gives none)
 */
public record TranslationRequest(String fromLang, String toLang, List<Item> records, GenerationOptions options) {

    public TranslationRequest {
        records = List.copyOf(records);
    }

    /** One record: the id is echoed verbatim in the response. */
    public record Item(String id, String text) {}
}
