package dev.m2m100.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class ArenaAllocatorTest {

    @Test
    void blocksAreAlignedDisjointAndExhaustionIsReported() {
        ArenaAllocator arena = new ArenaAllocator(4096);
        long a = arena.allocate(1);
        long b = arena.allocate(300);
        long c = arena.allocate(256);
        assertEquals(0, a);
        assertEquals(256, b);
        assertEquals(768, c);
        assertEquals(1024, arena.usedBytes());
        assertEquals(-1, arena.allocate(3073), "3073 bytes round up to 3328 > 3072 free");
        assertEquals(1024, arena.allocate(3072));
        assertEquals(-1, arena.allocate(1));
    }

    @Test
    void freeingCoalescesNeighboursBackIntoOneBlock() {
        ArenaAllocator arena = new ArenaAllocator(256 * 64);
        Random random = new Random(7);
        List<Long> live = new ArrayList<>();
        for (int round = 0; round < 2000; round++) {
            if (live.isEmpty() || random.nextBoolean()) {
                long off = arena.allocate(1 + random.nextInt(2000));
                if (off >= 0) {
                    assertEquals(0, off % ArenaAllocator.ALIGNMENT);
                    live.add(off);
                }
            } else {
                arena.free(live.remove(random.nextInt(live.size())));
            }
        }
        live.forEach(arena::free);
        assertEquals(0, arena.usedBytes());
        assertEquals(1, arena.freeBlockCount());
        assertEquals(arena.capacity(), arena.largestFreeBlock());
    }

    @Test
    void freeOfAnUnknownOffsetIsAnError() {
        ArenaAllocator arena = new ArenaAllocator(1024);
        long a = arena.allocate(10);
        arena.free(a);
        assertThrows(IllegalArgumentException.class, () -> arena.free(a));
        assertThrows(IllegalArgumentException.class, () -> arena.allocate(0));
        assertThrows(IllegalArgumentException.class, () -> new ArenaAllocator(1000));
    }

    @Test
    void liveBlocksNeverOverlap() {
        ArenaAllocator arena = new ArenaAllocator(256 * 32);
        Random random = new Random(11);
        List<long[]> live = new ArrayList<>();
        for (int round = 0; round < 500; round++) {
            if (random.nextInt(3) > 0) {
                long size = 1 + random.nextInt(1500);
                long off = arena.allocate(size);
                if (off >= 0) {
                    for (long[] other : live) {
                        assertTrue(off + size <= other[0] || other[0] + other[1] <= off, "overlap");
                    }
                    assertTrue(off + size <= arena.capacity());
                    live.add(new long[] {off, size});
                }
            } else if (!live.isEmpty()) {
                arena.free(live.remove(random.nextInt(live.size()))[0]);
            }
        }
    }
}
