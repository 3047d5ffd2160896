package dev.m2m100.server.text;

import com.ibm.icu.text.BreakIterator;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a text into sentences with ICU's multilingual sentence rules ("A. B." → "A.", "B."; "今日は晴れ。明日は雨。"
 * → two sentences; a line break always ends a sentence), keeping every whitespace character between them
 * (see {@link Segments}). Thread-safe.
 */
public final class SentenceSegmenter {
    private final BreakRules rules;

    public SentenceSegmenter() {
        this(new BreakRules());
    }

    SentenceSegmenter(BreakRules rules) {
        this.rules = rules;
    }

    /**
     * @param text any text; a blank one becomes {@link Segments} with no pieces
     * @param lang the language of the text (its sentence rules), a model language code
     */
    public Segments segment(String text, String lang) {
        int start = Whitespace.skipForward(text, 0, text.length());
        if (start == text.length()) {
            return Segments.blank(text);
        }
        BreakIterator it = rules.sentences(lang);
        it.setText(text);
        List<String> pieces = new ArrayList<>();
        List<String> separators = new ArrayList<>();
        String lead = null;
        int pending = 0; // start of the whitespace not yet assigned (lead or separator)
        for (int from = it.first(), to = it.next(); to != BreakIterator.DONE; from = to, to = it.next()) {
            int contentStart = Whitespace.skipForward(text, from, to);
            if (contentStart == to) {
                continue; // whitespace only (e.g. the second "\n" of a paragraph break): joins the separator
            }
            int contentEnd = Whitespace.skipBackward(text, contentStart, to);
            String before = text.substring(pending, contentStart);
            if (lead == null) {
                lead = before;
            } else {
                separators.add(before);
            }
            pieces.add(text.substring(contentStart, contentEnd));
            pending = contentEnd;
        }
        return new Segments(lead, pieces, separators, text.substring(pending));
    }
}
