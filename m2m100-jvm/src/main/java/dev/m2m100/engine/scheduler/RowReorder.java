package dev.m2m100.engine.scheduler;

/**
 * Beam reordering on model rows with as few cache copies as possible: a parent's first child takes over the
 * parent's row as it is; further children of the same parent get the rows of parents nobody continued, with
 * a copy of the parent's cache. Copy sources are never copy targets, so the copies can run in any order.
 */
final class RowReorder {

    /** Rows after the reorder ({@code rows[i]} serves search row i), and the cache copies to make first. */
    record Plan(int[] rows, int[] copyFrom, int[] copyTo) {}

    private RowReorder() {}

    /**
     * @param rows    the model row of each search row before the step
     * @param parents for each search row, the search row whose history it continues
     */
    static Plan plan(int[] rows, int[] parents) {
        int n = rows.length;
        if (parents.length != n) {
            throw new IllegalArgumentException("parents has " + parents.length + " entries for " + n + " rows");
        }
        int[] next = new int[n];
        boolean[] taken = new boolean[n];
        boolean[] needsCopy = new boolean[n];
        for (int i = 0; i < n; i++) {
            int p = parents[i];
            if (p < 0 || p >= n) {
                throw new IllegalArgumentException("parent " + p + " out of range for " + n + " rows");
            }
            if (!taken[p]) {
                taken[p] = true;
                next[i] = rows[p];
            } else {
                needsCopy[i] = true;
            }
        }
        int copies = 0;
        for (boolean c : needsCopy) {
            copies += c ? 1 : 0;
        }
        int[] from = new int[copies];
        int[] to = new int[copies];
        int free = 0;
        int c = 0;
        for (int i = 0; i < n; i++) {
            if (needsCopy[i]) {
                while (taken[free]) {
                    free++;
                }
                taken[free] = true;
                next[i] = rows[free];
                from[c] = rows[parents[i]];
                to[c] = rows[free];
                c++;
            }
        }
        return new Plan(next, from, to);
    }

    static boolean isIdentity(int[] parents) {
        for (int i = 0; i < parents.length; i++) {
            if (parents[i] != i) {
                return false;
            }
        }
        return true;
    }
}
