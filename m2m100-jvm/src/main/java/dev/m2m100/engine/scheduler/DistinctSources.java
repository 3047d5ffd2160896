package dev.m2m100.engine.scheduler;

import dev.m2m100.engine.generation.GeneratedSequence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A request's sources with repeats folded: each distinct token sequence is decoded once, and its result serves
 * every position it came from. Exact, since a sequence's result depends only on its tokens and the request's
 * settings (the model is deterministic and batch invariant). Documents repeat themselves (headers, "Thank you.",
 * table cells), and the text layer sends every sentence of a request as one source.
 */
final class DistinctSources {
    private final List<int[]> distinct;
    private final int[] distinctIndexOf;

    private DistinctSources(List<int[]> distinct, int[] distinctIndexOf) {
        this.distinct = distinct;
        this.distinctIndexOf = distinctIndexOf;
    }

    /** Keys a token sequence by content. */
    private record Tokens(int[] ids) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Tokens t && Arrays.equals(ids, t.ids);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(ids);
        }
    }

    static DistinctSources of(List<int[]> sources) {
        Map<Tokens, Integer> seen = new HashMap<>();
        List<int[]> distinct = new ArrayList<>();
        int[] indexOf = new int[sources.size()];
        for (int i = 0; i < sources.size(); i++) {
            int[] ids = sources.get(i);
            Integer at = seen.putIfAbsent(new Tokens(ids), distinct.size());
            if (at == null) {
                indexOf[i] = distinct.size();
                distinct.add(ids);
            } else {
                indexOf[i] = at;
            }
        }
        return new DistinctSources(List.copyOf(distinct), indexOf);
    }

    /** The sources to decode, each once, in order of first appearance. */
    List<int[]> distinct() {
        return distinct;
    }

    /** One result per original source, from one result per distinct source. */
    List<GeneratedSequence> expand(GeneratedSequence[] distinctResults) {
        GeneratedSequence[] all = new GeneratedSequence[distinctIndexOf.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = distinctResults[distinctIndexOf[i]];
        }
        return List.of(all);
    }
}
