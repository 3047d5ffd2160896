package dev.m2m100.tokenizer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
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

    private final Map<Character, List<String>> byFirstChar = new HashMap<>();

    SpecialTokenSplitter(Collection<String> tokens) {
        for (String t : tokens) {
            if (t.isEmpty()) {
                continue;
            }
            List<String> list = byFirstChar.computeIfAbsent(t.charAt(0), c -> new ArrayList<>());
            if (!list.contains(t)) {
                list.add(t);
            }
        }
        // Longest first, so the first hit at a position is the longest.
        byFirstChar.values().forEach(l -> l.sort((a, b) -> Integer.compare(b.length(), a.length())));
    }

    List<Part> split(String text) {
        List<Part> parts = new ArrayList<>(2);
        int plainStart = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            List<String> candidates = byFirstChar.get(text.charAt(i));
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
