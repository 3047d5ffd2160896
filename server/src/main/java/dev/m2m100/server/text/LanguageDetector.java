package dev.m2m100.server.text;

/** Tells which of the model's languages a text is in. Thread-safe. */
public interface LanguageDetector {

    /** The most likely language, or null when the text gives nothing to go by (blank, digits, symbols only). */
    Detection detect(String text);
}
