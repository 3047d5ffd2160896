package dev.m2m100.engine.backend.cuda;

import java.util.Map;
import java.util.TreeMap;

/**
 * Offset bookkeeping for one contiguous region: first-fit allocation of aligned blocks, coalescing on free.
 * Pure Java (no device calls), so {@link DeviceMemoryPool} can hand out sub-ranges of one big device
 * allocation without a cuMemAlloc per tensor. Not thread-safe: the backend is driven by one thread.
 */
final class ArenaAllocator {

    /** Alignment of every block: enough for vectorised loads of any element type. */
    static final long ALIGNMENT = 256;

    private final long capacity;
    private final TreeMap<Long, Long> free = new TreeMap<>();      // offset → size
    private final TreeMap<Long, Long> used = new TreeMap<>();      // offset → size
    private long usedBytes;

    ArenaAllocator(long capacity) {
        if (capacity <= 0 || capacity % ALIGNMENT != 0) {
            throw new IllegalArgumentException("arena capacity must be a positive multiple of " + ALIGNMENT
                    + ": " + capacity);
        }
        this.capacity = capacity;
        free.put(0L, capacity);
    }

    static long align(long bytes) {
        return (bytes + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** Returns the offset of a new block of at least {@code bytes}, or -1 when no free block is large enough. */
    long allocate(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("allocation size must be positive: " + bytes);
        }
        long size = align(bytes);
        for (Map.Entry<Long, Long> e : free.entrySet()) {
            if (e.getValue() >= size) {
                long offset = e.getKey();
                long rest = e.getValue() - size;
                free.remove(offset);
                if (rest > 0) {
                    free.put(offset + size, rest);
                }
                used.put(offset, size);
                usedBytes += size;
                return offset;
            }
        }
        return -1;
    }

    /** Returns a block to the free list, merging it with free neighbours. */
    void free(long offset) {
        Long size = used.remove(offset);
        if (size == null) {
            throw new IllegalArgumentException("offset " + offset + " is not an allocated block");
        }
        usedBytes -= size;
        long start = offset;
        long length = size;
        Map.Entry<Long, Long> before = free.floorEntry(offset);
        if (before != null && before.getKey() + before.getValue() == offset) {
            start = before.getKey();
            length += before.getValue();
            free.remove(before.getKey());
        }
        Long afterSize = free.get(offset + size);
        if (afterSize != null) {
            free.remove(offset + size);
            length += afterSize;
        }
        free.put(start, length);
    }

    long capacity() {
        return capacity;
    }

    long usedBytes() {
        return usedBytes;
    }

    long largestFreeBlock() {
        long max = 0;
        for (long s : free.values()) {
            max = Math.max(max, s);
        }
        return max;
    }

    int freeBlockCount() {
        return free.size();
    }
}
