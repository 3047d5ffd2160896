package dev.m2m100.server;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * Cuts a text that is too long for the model's encoder positions into pieces that fit, at sentence
 * boundaries (the JDK's locale-aware sentence rules: ". ", "? ", "。", "！", line breaks…). Consecutive
 * sentences are packed greedily into one piece while it still fits, so the model keeps as much context as
 * it can. A single sentence that does not fit on its own cannot be split sensibly and is reported.
 */
final class SentenceSplitter {

    /** A sentence that alone exceeds the model's input length. */
    static final class SentenceTooLongException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int tokens;

        SentenceTooLongException(int tokens) {
            super(null, null, false, false);
            this.tokens = tokens;
        }

        int tokens() {
            return tokens;
        }
    }

    private SentenceSplitter() {}

    /**
     * @param text        the record's text (its token count exceeds {@code maxTokens})
     * @param lang        the source language (for the sentence rules)
     * @param tokenCount  encoder tokens a piece becomes (language token and {@code </s>} included)
     * @param maxTokens   the most encoder tokens the model accepts
     * @return the pieces in order, each stripped of surrounding whitespace and within {@code maxTokens}
     */
    static List<String> split(String text, String lang, ToIntFunction<String> tokenCount, int maxTokens) {
        List<String> pieces = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String sentence : sentences(text, lang)) {
            if (sentence.isBlank()) {
                current.append(sentence);
                continue;
            }
            String candidate = current + sentence;
            if (tokenCount.applyAsInt(candidate.strip()) <= maxTokens) {
                current.append(sentence);
                continue;
            }
            // The sentence does not fit beside what we have: close the current piece and start anew.
            if (!current.isEmpty() && !current.toString().isBlank()) {
                pieces.add(current.toString().strip());
            }
            int alone = tokenCount.applyAsInt(sentence.strip());
            if (alone > maxTokens) {
                throw new SentenceTooLongException(alone);
            }
            current.setLength(0);
            current.append(sentence);
        }
        if (!current.toString().isBlank()) {
            pieces.add(current.toString().strip());
        }
        return pieces;
    }

    static List<String> sentences(String text, String lang) {
        BreakIterator it = BreakIterator.getSentenceInstance(Locale.forLanguageTag(lang));
        it.setText(text);
        List<String> out = new ArrayList<>();
        int start = it.first();
        for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            out.add(text.substring(start, end));
        }
        return out;
    }

    /** Joins translated pieces: scripts written without spaces between sentences get none. */
    static String join(List<String> translations, String toLang) {
        String separator = switch (toLang) {
            case "ja", "zh", "yue", "wuu", "my", "km", "lo" -> "";
            default -> " ";
        };
        return String.join(separator, translations);
    }
}
