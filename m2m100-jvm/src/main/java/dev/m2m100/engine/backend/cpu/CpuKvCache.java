package dev.m2m100.engine.backend.cpu;

import dev.m2m100.engine.backend.KvCache;
import java.util.ArrayList;
import java.util.List;

/**
 * Keys and values on the heap: per slot and layer one key array and one value array of
 * {@code capacity × width} floats, grown by doubling as positions are written (up to {@code maxLength}), so a
 * short sequence costs little. Released slots keep their arrays for the next user.
 */
final class CpuKvCache implements KvCache {
    private static final int MIN_CAPACITY = 16;

    private final int layers;
    private final int width;
    private final int maxLength;
    private final List<float[][]> keys = new ArrayList<>();
    private final List<float[][]> values = new ArrayList<>();
    private final List<Integer> capacity = new ArrayList<>();

    CpuKvCache(int layers, int width, int maxLength) {
        if (layers < 1 || width < 1 || maxLength < 1) {
            throw new IllegalArgumentException("bad cache shape: " + layers + " layers, width " + width
                    + ", max length " + maxLength);
        }
        this.layers = layers;
        this.width = width;
        this.maxLength = maxLength;
    }

    /** Makes sure the slot can hold {@code length} positions, keeping what it holds. */
    void ensure(int slot, int length) {
        if (slot < 0) {
            throw new IllegalArgumentException("negative cache slot " + slot);
        }
        if (length > maxLength) {
            throw new IllegalArgumentException("cache slot " + slot + ": " + length
                    + " positions exceed the maximum of " + maxLength);
        }
        while (keys.size() <= slot) {
            keys.add(new float[layers][0]);
            values.add(new float[layers][0]);
            capacity.add(0);
        }
        int cap = capacity.get(slot);
        if (length <= cap) {
            return;
        }
        int newCap = Math.min(maxLength, Math.max(length, Math.max(MIN_CAPACITY, cap * 2)));
        float[][] k = keys.get(slot);
        float[][] v = values.get(slot);
        for (int l = 0; l < layers; l++) {
            k[l] = java.util.Arrays.copyOf(k[l], newCap * width);
            v[l] = java.util.Arrays.copyOf(v[l], newCap * width);
        }
        capacity.set(slot, newCap);
    }

    float[] keys(int slot, int layer) {
        return keys.get(slot)[layer];
    }

    float[] values(int slot, int layer) {
        return values.get(slot)[layer];
    }

    int capacity(int slot) {
        return slot < capacity.size() ? capacity.get(slot) : 0;
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
    public void release(int slot) {
        // arrays stay with the slot: the model reuses the lowest free slots first
    }

    @Override
    public void close() {
        keys.clear();
        values.clear();
        capacity.clear();
    }
}
