package dev.m2m100.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * The decode loop of Hugging Face's slow tokenizers ({@code PreTrainedTokenizer._decode}, transformers 4.43),
 * shared by every family: ids become tokens (special ids dropped when asked), "legacy added tokens" (the
 * language tokens) cut the run of tokens into chunks, each chunk becomes text by the family's own rule, the
 * chunks are joined with one space and the spaces are cleaned up.
 */
final class SlowDecode {

    /** What differs between families. */
    interface Vocabulary {
        /** {@code convert_ids_to_tokens} for one id. */
        String token(int id);

        /** Whether the id is in {@code all_special_ids}. */
        boolean isSpecialId(int id);

        /** Whether the token stands alone as its own chunk (a legacy added token). */
        boolean isChunkBoundary(String token);

        /** {@code convert_tokens_to_string} of one chunk. */
        String tokensToString(List<String> tokens);
    }

    private SlowDecode() {
    }

    static String decode(int[] ids, boolean skipSpecial, boolean cleanUpSpaces, Vocabulary vocab) {
        List<String> subTexts = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (int id : ids) {
            if (skipSpecial && vocab.isSpecialId(id)) {
                continue;
            }
            String token = vocab.token(id);
            if (vocab.isChunkBoundary(token)) {
                if (!current.isEmpty()) {
                    String s = vocab.tokensToString(current);
                    if (!s.isEmpty()) {
                        subTexts.add(s);
                    }
                    current.clear();
                }
                subTexts.add(token);
            } else {
                current.add(token);
            }
        }
        if (!current.isEmpty()) {
            subTexts.add(vocab.tokensToString(current));
        }
        String text = String.join(" ", subTexts);
        return cleanUpSpaces ? TextCleanup.cleanUpTokenization(text) : text;
    }
}
