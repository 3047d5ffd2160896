package dev.m2m100.engine.scheduler;

import dev.m2m100.engine.generation.LogitRule;
import dev.m2m100.engine.generation.SequenceSearch;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The rows one decoder step sends to the model. A search row whose history repeats an earlier row of its search
 * ({@link SequenceSearch#representative}, e.g. every beam before the first choice) is left out: its
 * representative's output is its output too, since the model is batch invariant, and after the step it gets a
 * copy of its representative's cache.
 *
 * <p>Search rows are numbered in step order: every row of the first search, then of the next.
 */
final class StepRows {

    private final int[] modelRows;
    private final int[] tokens;
    private final LogitRule[] rules;
    /** For each search row, the index of the computed row whose output it takes. */
    private final int[] source;
    private final int[] twinFrom;
    private final int[] twinTo;

    private StepRows(int[] modelRows, int[] tokens, LogitRule[] rules, int[] source, int[] twinFrom, int[] twinTo) {
        this.modelRows = modelRows;
        this.tokens = tokens;
        this.rules = rules;
        this.source = source;
        this.twinFrom = twinFrom;
        this.twinTo = twinTo;
    }

    /**
     * @param searches the active searches, in step order
     * @param rows     for each search, the model row of each of its search rows
     */
    static StepRows of(List<SequenceSearch> searches, List<int[]> rows) {
        int total = 0;
        for (int[] r : rows) {
            total += r.length;
        }
        int[] modelRows = new int[total];
        int[] tokens = new int[total];
        LogitRule[] rules = new LogitRule[total];
        int[] source = new int[total];
        int[] twinFrom = new int[total];
        int[] twinTo = new int[total];
        int computed = 0;
        int twins = 0;
        int at = 0;
        for (int s = 0; s < searches.size(); s++) {
            SequenceSearch search = searches.get(s);
            int[] r = rows.get(s);
            LogitRule rule = search.rule();
            int first = at;
            for (int i = 0; i < r.length; i++, at++) {
                int rep = search.representative(i);
                if (rep == i) {
                    modelRows[computed] = r[i];
                    tokens[computed] = search.inputToken(i);
                    rules[computed] = rule;
                    source[at] = computed++;
                } else {
                    source[at] = source[first + rep];
                    twinFrom[twins] = r[rep];
                    twinTo[twins++] = r[i];
                }
            }
        }
        return new StepRows(Arrays.copyOf(modelRows, computed), Arrays.copyOf(tokens, computed),
                Arrays.copyOf(rules, computed), source, Arrays.copyOf(twinFrom, twins), Arrays.copyOf(twinTo, twins));
    }

    /** The model rows to step, one per distinct history. */
    int[] modelRows() {
        return modelRows;
    }

    /** What each computed row consumes. */
    int[] tokens() {
        return tokens;
    }

    /** The logit rule of each computed row. */
    LogitRule[] rules() {
        return rules;
    }

    /** Search rows in this step, twins included. */
    int searchRows() {
        return source.length;
    }

    /** Cache copies that give each twin its representative's cache after the step (sources are never targets). */
    int[] twinFrom() {
        return twinFrom;
    }

    int[] twinTo() {
        return twinTo;
    }

    /** The computed rows' {@code k} log-probabilities each, laid out per search row. */
    float[] spread(float[] computed, int k) {
        return spread(computed, float[]::new, k);
    }

    /** The computed rows' {@code k} token ids each, laid out per search row. */
    int[] spread(int[] computed, int k) {
        return spread(computed, int[]::new, k);
    }

    /** {@code computed} itself when no row has a twin; else a new array of k entries per search row. */
    private <A> A spread(A computed, IntFunction<A> allocate, int k) {
        if (twinTo.length == 0) {
            return computed;
        }
        A out = allocate.apply(source.length * k);
        for (int i = 0; i < source.length; i++) {
            System.arraycopy(computed, source[i] * k, out, i * k, k);
        }
        return out;
    }
}
