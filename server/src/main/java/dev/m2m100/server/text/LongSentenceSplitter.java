package dev.m2m100.server.text;

import com.ibm.icu.text.BreakIterator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Splits a sentence that is longer than the model's encoder input into consecutive parts that fit, at the
 * places where a line may wrap (between words; between characters in Chinese and Japanese), packing as many
 * words into each part as fit so that the model keeps as much context as it can. Only a single unbreakable
 * run longer than the limit cannot be split: {@link SentenceTooLongException}.
 */
final class LongSentenceSplitter {
    /** A run of text without a wrap opportunity that alone exceeds the model's input. */
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

    private final BreakRules rules;

    LongSentenceSplitter(BreakRules rules) {
        this.rules = rules;
    }

    /**
     * @param sentence   one sentence without surrounding whitespace
     * @param tokenCount encoder tokens a text becomes (language token and {@code </s>} included)
     * @param maxTokens  the most encoder tokens the model accepts
     * @return the parts and the whitespace between them (lead and trail empty)
     */
    Segments split(String sentence, String lang, ToIntFunction<String> tokenCount, int maxTokens) {
        BreakIterator it = rules.lines(lang);
        it.setText(sentence);
        List<Integer> cuts = new ArrayList<>();
        for (int b = it.first(); b != BreakIterator.DONE; b = it.next()) {
            cuts.add(b);
        }
        List<String> parts = new ArrayList<>();
        List<String> separators = new ArrayList<>();
        int first = 0; // index into cuts where the current part starts
        int previousEnd = 0;
        while (first < cuts.size() - 1) {
            int last = longestFit(sentence, cuts, first, tokenCount, maxTokens);
            int start = cuts.get(first);
            int end = Whitespace.skipBackward(sentence, start, cuts.get(last));
            if (!parts.isEmpty()) {
                separators.add(sentence.substring(previousEnd, start));
            }
            parts.add(sentence.substring(start, end));
            previousEnd = end;
            first = last;
        }
        return new Segments("", parts, separators, "");
    }

    /**
     * The furthest cut index {@code last > first} such that the text between {@code cuts[first]} and
     * {@code cuts[last]} fits: the longest run of words that fits. Token counts of neighbouring runs nearly add
     * up, so an estimate (the runs' own counts added) finds the neighbourhood and real counts settle it.
     */
    private static int longestFit(String s, List<Integer> cuts, int first, ToIntFunction<String> tokenCount,
                                  int maxTokens) {
        int overhead = tokenCount.applyAsInt(""); // language token and </s>
        int estimate = overhead;
        int last = first;
        while (last + 1 < cuts.size()) {
            String run = s.substring(cuts.get(last), cuts.get(last + 1)).strip();
            int runTokens = run.isEmpty() ? 0 : tokenCount.applyAsInt(run) - overhead;
            if (last > first && estimate + runTokens > maxTokens) {
                break;
            }
            estimate += runTokens;
            last++;
        }
        int tokens = count(s, cuts, first, last, tokenCount);
        while (tokens > maxTokens && last > first + 1) {
            last--;
            tokens = count(s, cuts, first, last, tokenCount);
        }
        if (tokens > maxTokens) {
            throw new SentenceTooLongException(tokens);
        }
        while (last + 1 < cuts.size() && count(s, cuts, first, last + 1, tokenCount) <= maxTokens) {
            last++;
        }
        return last;
    }

    private static int count(String s, List<Integer> cuts, int first, int last, ToIntFunction<String> tokenCount) {
        return tokenCount.applyAsInt(s.substring(cuts.get(first), cuts.get(last)).strip());
    }
}
