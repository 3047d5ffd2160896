package dev.m2m100.server.text;

import java.util.List;

/** Tells which of the model's languages a text is in. Thread-safe. */
public interface LanguageDetector {

    /**
     * The most likely languages, best first, at most {@code max} of them; empty when the text gives nothing
     * to go by (blank, digits, symbols only).
     */
    List<Detection> detect(String text, int max);
}
