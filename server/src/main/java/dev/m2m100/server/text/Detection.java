package dev.m2m100.server.text;

/**
 * A detected language.
 *
 * @param language   a model language code
 * @param confidence 0..1: how far ahead of the runner-up the language is ({@code 1 − runner-up score / best
 *                   score}; 1 when the script alone decides, e.g. kana for Japanese); 0 when the text gave nothing
 *                   to go by and {@code language} is the fallback
 */
public record Detection(String language, double confidence) {}
