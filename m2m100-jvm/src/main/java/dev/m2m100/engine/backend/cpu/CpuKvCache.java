package dev.m2m100.engine.backend.cpu;

import dev.m2m100.engine.backend.ElementType;
import dev.m2m100.engine.backend.KvCache;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keys and values on the heap: per slot a {@link Holder} with, per layer, one key array and one value array of
 * {@code capacity × width} floats, grown by doubling as positions are written (up to {@code maxLength}), so a
 * short sequence costs little. Beam reordering ({@link #reorder}) moves holders between slots where it can and
 * copies only where one source feeds several targets. Released slots keep their holders for the next user.
 */
final class CpuKvCache implements KvCache {
    private static final int MIN_CAPACITY = 16;

    /** One slot's storage. */
    private static final class Holder {
        final float[][] keys;
        final float[][] values;
        int capacity;

        Holder(int layers) {
            keys = new float[layers][0];
            values = new float[layers][0];
        }
    }

    private final int layers;
    private final int width;
    private final int maxLength;
    private final List<Holder> slots = new ArrayList<>();

    CpuKvCache(int layers, int width, int maxLength) {
        if (layers < 1 || width < 1 || maxLength < 1) {
            throw new IllegalArgumentException("bad cache shape: " + layers + " layers, width " + width
                    + ", max length " + maxLength);
        }
        this.layers = layers;
        this.width = width;
        this.maxLength = maxLength;
    }

    private Holder holder(int slot) {
        if (slot < 0) {
            throw new IllegalArgumentException("negative cache slot " + slot);
        }
        while (slots.size() <= slot) {
            slots.add(new Holder(layers));
        }
        return slots.get(slot);
    }

    /** Makes sure the slot can hold {@code length} positions, keeping what it holds. */
    void ensure(int slot, int length) {
        ensure(holder(slot), length, slot);
    }

    private void ensure(Holder h, int length, int slot) {
        if (length > maxLength) {
            throw new IllegalArgumentException("cache slot " + slot + ": " + length
                    + " positions exceed the maximum of " + maxLength);
        }
        if (length <= h.capacity) {
            return;
        }
        int newCap = Math.min(maxLength, Math.max(length, Math.max(MIN_CAPACITY, h.capacity * 2)));
        for (int l = 0; l < layers; l++) {
            h.keys[l] = Arrays.copyOf(h.keys[l], newCap * width);
            h.values[l] = Arrays.copyOf(h.values[l], newCap * width);
        }
        h.capacity = newCap;
    }

    float[] keys(int slot, int layer) {
        return slots.get(slot).keys[layer];
    }

    float[] values(int slot, int layer) {
        return slots.get(slot).values[layer];
    }

    int capacity(int slot) {
        return slot >= 0 && slot < slots.size() ? slots.get(slot).capacity : 0;
    }

    /**
     * Slot {@code to[i]} gets the first {@code lengths[i]} positions of slot {@code from[i]}, as if all reads
     * came first. The storage of a slot that is overwritten is handed, without copying, to the first target
     * that reads it; other targets get copies (into storage nobody reads any more, where possible).
     */
    void reorder(int[] from, int[] to, int[] lengths) {
        int n = to.length;
        Map<Integer, Holder> original = new HashMap<>();
        for (int i = 0; i < n; i++) {
            if (lengths[i] > capacity(from[i]) && lengths[i] > 0) {
                throw new IllegalArgumentException("copy: slot " + from[i] + " holds fewer than " + lengths[i]
                        + " positions");
            }
            original.put(from[i], holder(from[i]));
            original.put(to[i], holder(to[i]));
        }
        Map<Integer, Boolean> isTarget = new HashMap<>();
        for (int t : to) {
            isTarget.put(t, Boolean.TRUE);
        }
        // moves: an overwritten slot's storage goes to its first reader
        Holder[] result = new Holder[n];
        Map<Integer, Boolean> claimed = new HashMap<>();
        for (int i = 0; i < n; i++) {
            int s = from[i];
            if (isTarget.containsKey(s) && !claimed.containsKey(s)) {
                claimed.put(s, Boolean.TRUE);
                result[i] = original.get(s);
            }
        }
        // storage of targets that nobody reads is free to receive copies
        List<Holder> spare = new ArrayList<>();
        for (int t : isTarget.keySet()) {
            if (!claimed.containsKey(t)) {
                spare.add(original.get(t));
            }
        }
        for (int i = 0; i < n; i++) {
            if (result[i] != null) {
                continue;
            }
            Holder src = original.get(from[i]);
            Holder dst = spare.isEmpty() ? new Holder(layers) : spare.removeLast();
            ensure(dst, Math.max(lengths[i], 1), to[i]);
            int count = lengths[i] * width;
            for (int l = 0; l < layers; l++) {
                System.arraycopy(src.keys[l], 0, dst.keys[l], 0, count);
                System.arraycopy(src.values[l], 0, dst.values[l], 0, count);
            }
            result[i] = dst;
        }
        for (int i = 0; i < n; i++) {
            slots.set(to[i], result[i]);
        }
    }

    @Override
    public int layers() {
        return layers;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int maxLength() {
        return maxLength;
    }

    @Override
    public ElementType elementType() {
        return ElementType.F32;
    }

    @Override
    public void release(int slot) {
        // storage stays with the slot: the model reuses the lowest free slots first
    }

    @Override
    public void close() {
        slots.clear();
    }
}
