package dev.m2m100.engine.model;

import java.util.BitSet;

/** Hands out small integer slots, lowest free first, and takes them back. */
final class Slots {
    private final String kind;
    private final BitSet used = new BitSet();

    Slots(String kind) {
        this.kind = kind;
    }

    int acquire() {
        int s = used.nextClearBit(0);
        used.set(s);
        return s;
    }

    void release(int s) {
        require(s);
        used.clear(s);
    }

    boolean isOpen(int s) {
        return s >= 0 && used.get(s);
    }

    void require(int s) {
        if (!isOpen(s)) {
            throw new IllegalArgumentException(kind + " " + s + " is not open");
        }
    }

    int openCount() {
        return used.cardinality();
    }
}
