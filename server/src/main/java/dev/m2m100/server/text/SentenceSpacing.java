package dev.m2m100.server.text;

import com.ibm.icu.util.ULocale;

import java.util.List;
import java.util.Set;

/**
 * How translated sentences are put back together. The whitespace of the source is kept, with one
 * adjustment for writing systems that put no space between sentences:
 * <ul>
 *   <li>a separator with a line break, tab or any other non-space character is kept exactly;</li>
 *   <li>otherwise (only spaces, or nothing): a target written without spaces between sentences (Chinese,
 *       Japanese) gets none; any other target keeps the source's spaces, and gets one space where the source
 *       had none ("今日は晴れ。明日は雨。" → "It is sunny today. It will rain tomorrow.").</li>
 * </ul>
 * Whitespace before the first and after the last sentence is kept as it is.
 */
public final class SentenceSpacing {
    /** ISO 15924 scripts written without spaces between sentences: Han (simplified, traditional), Japanese. */
    private static final Set<String> UNSPACED_SCRIPTS = Set.of("Hani", "Hans", "Hant", "Jpan", "Hira", "Kana");

    private SentenceSpacing() {}

    /**
     * Whether text in this language separates sentences with a space, decided by its likely script (so it
     * works for "zh", "zh-Hant", "yue", "jpn_Jpan" alike).
     */
    public static boolean spacesBetweenSentences(String lang) {
        String script = ULocale.addLikelySubtags(BreakRules.locale(lang)).getScript();
        return !UNSPACED_SCRIPTS.contains(script);
    }

    /** The separator to write between two translated sentences, given the source's separator. */
    static String separator(String source, boolean targetSpaced) {
        if (!Whitespace.onlySpaces(source)) {
            return source;
        }
        if (!targetSpaced) {
            return "";
        }
        return source.isEmpty() ? " " : source;
    }

    /**
     * The translation of a segmented text: lead, translated pieces joined by adjusted separators, trail.
     *
     * @param translations one per piece of {@code source}, in order
     */
    static String join(Segments source, List<String> translations, boolean targetSpaced) {
        if (translations.size() != source.pieces().size()) {
            throw new IllegalArgumentException(source.pieces().size() + " pieces but " + translations.size()
                    + " translations");
        }
        StringBuilder sb = new StringBuilder(source.lead());
        for (int i = 0; i < translations.size(); i++) {
            if (i > 0) {
                sb.append(separator(source.separators().get(i - 1), targetSpaced));
            }
            sb.append(translations.get(i));
        }
        return sb.append(source.trail()).toString();
    }
}
