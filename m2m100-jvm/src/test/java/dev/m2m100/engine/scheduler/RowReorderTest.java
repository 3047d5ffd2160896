package dev.m2m100.engine.scheduler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RowReorderTest {

    @Test
    void firstChildKeepsTheParentRowAndOthersCopyIntoUnusedRows() {
        // Rows 10..13; parents: 0, 0, 2, 0 -> row 11 (parent 1) and row 13 (parent 3) are free.
        RowReorder.Plan plan = RowReorder.plan(new int[] {10, 11, 12, 13}, new int[] {0, 0, 2, 0});
        assertArrayEquals(new int[] {10, 11, 12, 13}, plan.rows());
        assertArrayEquals(new int[] {10, 10}, plan.copyFrom());
        assertArrayEquals(new int[] {11, 13}, plan.copyTo());
    }

    @Test
    void aPermutationNeedsNoCopy() {
        RowReorder.Plan plan = RowReorder.plan(new int[] {5, 6, 7}, new int[] {2, 0, 1});
        assertArrayEquals(new int[] {7, 5, 6}, plan.rows());
        assertEquals(0, plan.copyFrom().length);
    }

    @Test
    void copySourcesAreNeverCopyTargets() {
        RowReorder.Plan plan = RowReorder.plan(new int[] {0, 1, 2, 3, 4}, new int[] {3, 3, 1, 1, 3});
        for (int from : plan.copyFrom()) {
            for (int to : plan.copyTo()) {
                org.junit.jupiter.api.Assertions.assertNotEquals(from, to);
            }
        }
        // Every search row ends on a distinct model row.
        assertEquals(5, java.util.Arrays.stream(plan.rows()).distinct().count());
    }
}
