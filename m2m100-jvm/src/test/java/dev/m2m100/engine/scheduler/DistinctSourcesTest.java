package dev.m2m100.engine.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.m2m100.engine.generation.GeneratedSequence;
import java.util.List;
import org.junit.jupiter.api.Test;

class DistinctSourcesTest {

    @Test
    void repeatsAreDecodedOnceAndEveryPositionGetsItsResult() {
        int[] a = {5, 6, 2};
        int[] b = {5, 2};
        DistinctSources d = DistinctSources.of(List.of(a, b, new int[] {5, 6, 2}, b, new int[] {5, 6}));
        assertEquals(3, d.distinct().size(), "equal contents fold, whatever the array");
        assertSame(a, d.distinct().get(0));
        assertSame(b, d.distinct().get(1));
        GeneratedSequence ra = new GeneratedSequence(new int[] {2, 8, 3}, -1f);
        GeneratedSequence rb = new GeneratedSequence(new int[] {2, 8, 4}, -2f);
        GeneratedSequence rc = new GeneratedSequence(new int[] {2, 8, 5}, -3f);
        assertEquals(List.of(ra, rb, ra, rb, rc), d.expand(new GeneratedSequence[] {ra, rb, rc}));
    }
}
