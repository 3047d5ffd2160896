package dev.m2m100.tokenizer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts text around literal special tokens before SentencePiece sees it, as Hugging Face's added-token
 * trie does: scanning left to right, the earliest occurrence wins, and the longest token at that place.
 */
final class SpecialTokenSplitter {

    /** A piece of input text: either one special token or plain text between them. */
    record Part(String text, boolean special) {
    }

    // Tokens grouped by first character (few groups: '<' and '_' for M2M100), scanned without boxing.
    private final char[] firstChars;
    private final String[][] tokensByFirst;

    SpecialTokenSplitter(Collection<String> tokens) {
        Map<Character, List<String>> byFirstChar = new LinkedHashMap<>();
        for (String t : tokens) {
            if (t.isEmpty()) {
                continue;
            }
            List<String> list = byFirstChar.computeIfAbsent(t.charAt(0), c -> new ArrayList<>());
            if (!list.contains(t)) {
                list.add(t);
            }
        }
        firstChars = new char[byFirstChar.size()];
        tokensByFirst = new String[byFirstChar.size()][];
        int k = 0;
        for (Map.Entry<Character, List<String>> e : byFirstChar.entrySet()) {
            List<String> list = e.getValue();
            // Longest first, so the first hit at a position is the longest.
            list.sort((a, b) -> Integer.compare(b.length(), a.length()));
            firstChars[k] = e.getKey();
            tokensByFirst[k] = list.toArray(new String[0]);
            k++;
        }
    }

    private String[] candidates(char c) {
        for (int k = 0; k < firstChars.length; k++) {
            if (firstChars[k] == c) {
                return tokensByFirst[k];
            }
        }
        return null;
    }

    List<Part> split(String text) {
        List<Part> parts = new ArrayList<>(2);
        int plainStart = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            String[] candidates = candidates(text.charAt(i));
            String hit = null;
            if (candidates != null) {
                for (String t : candidates) {
                    if (text.startsWith(t, i)) {
                        hit = t;
                        break;
                    }
                }
            }
            if (hit == null) {
                i++;
                continue;
            }
            if (i > plainStart) {
                parts.add(new Part(text.substring(plainStart, i), false));
            }
            parts.add(new Part(hit, true));
            i += hit.length();
            plainStart = i;
        }
        if (plainStart < n) {
            parts.add(new Part(plainStart == 0 ? text : text.substring(plainStart), false));
        }
        return parts;
    }
}
