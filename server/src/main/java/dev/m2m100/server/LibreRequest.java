package dev.m2m100.server;

import dev.m2m100.server.text.TextFormat;

import java.util.List;

/**
 * A validated LibreTranslate-style request ({@code POST /translate}, {@code POST /detect}).
 *
 * @param q       the texts
 * @param array   whether {@code q} was an array (the answer then has arrays too)
 * @param source  source language code or "auto" (null for /detect)
 * @param target  target language code (null for /detect)
 * @param format  text or html
 * @param apiKey  the {@code api_key} field, or null
 */
record LibreRequest(List<String> q, boolean array, String source, String target, TextFormat format, String apiKey) {
    LibreRequest {
        q = List.copyOf(q);
    }
}
