package dev.m2m100.server.text;

import java.util.List;

/**
 * Translations of a {@link TextJob}.
 *
 * @param texts    one per input text, in order
 * @param detected one per input text when the job asked for {@code auto}, else null
 */
public record TextResult(List<String> texts, List<Detection> detected) {}
