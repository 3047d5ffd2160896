package dev.m2m100.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * The decode loop of Hugging Face's slow tokenizers ({@code PreTrainedTokenizer._decode}, transformers 4.43),
 * shared by every family: ids become tokens (special ids dropped when asked), "legacy added tokens" (the
 * language tokens) cut the run of tokens into chunks, each chunk becomes text by the family's own rule, the
 * chunks are joined with one space and the spaces are cleaned up.
 */
final class SlowDecode {

    /**
     * What differs between families.
     *
     * @param token           {@code convert_ids_to_tokens} for one id
     * @param isSpecialId     whether the id is in {@code all_special_ids}
     * @param isChunkBoundary whether the token stands alone as its own chunk (a legacy added token)
     * @param tokensToString  {@code convert_tokens_to_string} of one chunk
     */
    record Vocabulary(IntFunction<String> token, IntPredicate isSpecialId, Predicate<String> isChunkBoundary,
                      Function<List<String>, String> tokensToString) {}

    private SlowDecode() {
    }

    static String decode(int[] ids, boolean skipSpecial, boolean cleanUpSpaces, Vocabulary vocab) {
        List<String> subTexts = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (int id : ids) {
            if (skipSpecial && vocab.isSpecialId().test(id)) {
                continue;
            }
            String token = vocab.token().apply(id);
            if (vocab.isChunkBoundary().test(token)) {
                if (!current.isEmpty()) {
                    String s = vocab.tokensToString().apply(current);
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
            subTexts.add(vocab.tokensToString().apply(current));
        }
        String text = String.join(" ", subTexts);
        return cleanUpSpaces ? TextCleanup.cleanUpTokenization(text) : text;
    }
}
