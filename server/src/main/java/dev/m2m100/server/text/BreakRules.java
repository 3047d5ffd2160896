package dev.m2m100.server.text;

import com.ibm.icu.text.BreakIterator;
import com.ibm.icu.util.ULocale;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ICU's sentence and line-break rules for a language code, built once per language and cloned per use
 * (an ICU iterator is not thread-safe; a clone is cheap, building one is not).
 *
 * <p>Sentence rules use ICU's abbreviation suppressions ({@code ss=standard}: no break after "Mr.", "etc."
 * and the like in languages that have such data).
 */
final class BreakRules {
    private final Map<String, BreakIterator> sentences = new ConcurrentHashMap<>();
    private final Map<String, BreakIterator> lines = new ConcurrentHashMap<>();

    /** A fresh sentence iterator for the language (a model code such as "en", "ja" or "eng_Latn"). */
    BreakIterator sentences(String lang) {
        BreakIterator prototype = sentences.computeIfAbsent(lang,
                l -> BreakIterator.getSentenceInstance(locale(l).setKeywordValue("ss", "standard")));
        return prototype.clone();
    }

    /** A fresh line-break iterator (the places a line may wrap: between words, or between CJK characters). */
    BreakIterator lines(String lang) {
        BreakIterator prototype = lines.computeIfAbsent(lang, l -> BreakIterator.getLineInstance(locale(l)));
        return prototype.clone();
    }

    /**
     * The ICU locale of a model language code: BCP 47 ("en", "zh-Hant") and ICU's own form ("eng_Latn", as
     * NLLB writes its codes) both work; an unknown code gives the root locale's rules, which are sensible
     * for most scripts.
     */
    static ULocale locale(String lang) {
        return ULocale.forLanguageTag(lang.replace('_', '-'));
    }
}
