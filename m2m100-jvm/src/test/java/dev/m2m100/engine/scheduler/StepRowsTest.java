package dev.m2m100.engine.scheduler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.m2m100.engine.generation.EarlyStopping;
import dev.m2m100.engine.generation.LogitRule;
import dev.m2m100.engine.generation.SearchSettings;
import dev.m2m100.engine.generation.SequenceSearch;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepRowsTest {
    static final int START = 2, LANG = 8;

    static SequenceSearch search(int beams) {
        return SequenceSearch.start(new SearchSettings(beams, 20, 0, 0, 1.0, EarlyStopping.TRUE, START, LANG, 2));
    }

    @Test
    void twinBeamsAreSteppedOnceAndGetTheirRepresentativesOutputAndCache() {
        // a fresh 3-beam search on model rows 10, 11, 12 (all twins), then a greedy one on row 20
        StepRows plan = StepRows.of(List.of(search(3), search(1)), List.of(new int[] {10, 11, 12}, new int[] {20}));
        assertArrayEquals(new int[] {10, 20}, plan.modelRows());
        assertArrayEquals(new int[] {START, START}, plan.tokens());
        assertEquals(List.of(LogitRule.force(LANG), LogitRule.force(LANG)), List.of(plan.rules()));
        assertEquals(4, plan.searchRows());
        assertArrayEquals(new int[] {10, 10}, plan.twinFrom());
        assertArrayEquals(new int[] {11, 12}, plan.twinTo());
        // k = 2 per computed row: row 10 -> (0.5, 7), (0.25, 8); row 20 -> (1.5, 9), (1.25, 6)
        float[] lp = plan.spread(new float[] {0.5f, 0.25f, 1.5f, 1.25f}, 2);
        int[] ids = plan.spread(new int[] {7, 8, 9, 6}, 2);
        assertArrayEquals(new float[] {0.5f, 0.25f, 0.5f, 0.25f, 0.5f, 0.25f, 1.5f, 1.25f}, lp, 0f);
        assertArrayEquals(new int[] {7, 8, 7, 8, 7, 8, 9, 6}, ids);
    }

    @Test
    void withoutTwinsEveryRowIsSteppedAndOutputsPassThrough() {
        StepRows plan = StepRows.of(List.of(search(1), search(1)), List.of(new int[] {3}, new int[] {4}));
        assertArrayEquals(new int[] {3, 4}, plan.modelRows());
        assertEquals(0, plan.twinTo().length);
        float[] lp = {1f, 2f};
        int[] ids = {5, 6};
        assertSame(lp, plan.spread(lp, 1));
        assertSame(ids, plan.spread(ids, 1));
    }
}
