package dev.m2m100.engine.backend.cuda;

import dev.m2m100.engine.backend.ElementType;
import dev.m2m100.engine.backend.KvCache;

/**
 * Keys and values on the device, fp32 or fp16 (the backend's activation type), in one slot-major block:
 * {@code [slot][layer][key|value][position < lengthCapacity][width]}. A slot is a fixed stride away from the
 * next, so kernels address any slot from one base pointer. Both the slot count and the per-slot length
 * capacity grow by doubling (up to {@code maxLength}) when a call needs more; growing copies every slot's
 * stored prefix into the new layout on the stream (the backend's copy kernel, which takes both layouts: no
 * pitched driver copy, whose pitch limits the driver may refuse for arena-placed blocks).
 */
final class CudaKvCache implements KvCache {

    /** Copies the first {@code positions} positions of sequences {@code 0 .. sequences-1} between two layouts. */
    @FunctionalInterface
    interface Relayout {
        void copy(Precision storage, DeviceBuffer src, CacheLayout from, DeviceBuffer dst, CacheLayout to,
                  int sequences, int positions, int width);
    }

    private static final int MIN_LENGTH = 32;

    private final int layers;
    private final int width;
    private final int maxLength;
    private final Precision storage;
    private final DeviceMemoryPool pool;
    private final Relayout relayout;
    private DeviceBuffer buffer;
    private int slotCapacity;
    private int lengthCapacity;
    private final int slotHint;
    private boolean closed;

    CudaKvCache(int layers, int width, int maxLength, int slotHint, Precision storage, DeviceMemoryPool pool,
                Relayout relayout) {
        if (layers < 1 || width < 1 || maxLength < 1) {
            throw new IllegalArgumentException("bad cache shape: " + layers + " layers, width " + width
                    + ", max length " + maxLength);
        }
        this.layers = layers;
        this.width = width;
        this.maxLength = maxLength;
        this.storage = storage;
        this.slotHint = Math.max(1, slotHint);
        this.pool = pool;
        this.relayout = relayout;
    }

    /** Makes room for slots {@code 0 .. maxSlot} with {@code length} positions each, keeping the contents. */
    void ensure(int maxSlot, int length) {
        if (closed) {
            throw new IllegalStateException("KV cache is closed");
        }
        if (maxSlot < 0) {
            throw new IllegalArgumentException("negative cache slot " + maxSlot);
        }
        if (length > maxLength) {
            throw new IllegalArgumentException("cache: " + length + " positions exceed the maximum of " + maxLength);
        }
        if (buffer != null && maxSlot < slotCapacity && length <= lengthCapacity) {
            return;
        }
        int slots = buffer == null ? Math.max(slotHint, maxSlot + 1)
                : maxSlot < slotCapacity ? slotCapacity : Math.max(maxSlot + 1, 2 * slotCapacity);
        int len = buffer == null ? Math.min(maxLength, Math.max(MIN_LENGTH, length))
                : length <= lengthCapacity ? lengthCapacity : Math.min(maxLength, Math.max(length, 2 * lengthCapacity));
        long bytes = (long) storage.bytes() * slots * layers * 2 * len * width;
        DeviceBuffer grown = pool.allocate(bytes, "KV cache " + slots + " slots x " + len + " positions");
        if (buffer != null) {
            // Every (slot, layer, key|value) plane keeps its first lengthCapacity positions.
            CacheLayout from = layout();
            CacheLayout to = layout(slots, len);
            try {
                relayout.copy(storage, buffer, from, grown, to, slotCapacity, lengthCapacity, width);
            } catch (RuntimeException e) {
                pool.release(grown);
                throw e;
            }
            pool.release(buffer);   // later stream work that reuses it runs after the copy
        }
        buffer = grown;
        slotCapacity = slots;
        lengthCapacity = len;
    }

    /** The current block's layout (slots × 2·layers planes × lengthCapacity positions). */
    CacheLayout layout() {
        if (buffer == null) {
            throw new IllegalStateException("KV cache holds nothing yet");
        }
        return layout(slotCapacity, lengthCapacity);
    }

    private CacheLayout layout(int slots, int length) {
        return layoutOf(layers, width, slots, length);
    }

    /** The block layout {@code [slot][layer][key|value][position < length][width]}. */
    static CacheLayout layoutOf(int layers, int width, int slots, int length) {
        return new CacheLayout(slots, 2 * layers, (long) layers * 2 * length * width, (long) length * width, width,
                length);
    }

    /** Elements between consecutive slots. */
    long slotStride() {
        return (long) layers * 2 * lengthCapacity * width;
    }

    /** Elements between consecutive planes (a layer's keys, then its values) of one slot. */
    long planeStride() {
        return (long) lengthCapacity * width;
    }

    /** The cache from layer {@code layer}'s key plane of slot 0 on. */
    DeviceBuffer keys(int layer) {
        return plane(2 * layer, "keys of layer " + layer);
    }

    /** The cache from layer {@code layer}'s value plane of slot 0 on. */
    DeviceBuffer values(int layer) {
        return plane(2 * layer + 1, "values of layer " + layer);
    }

    private DeviceBuffer plane(int index, String label) {
        if (buffer == null) {
            throw new IllegalStateException("KV cache holds nothing yet (" + label + ")");
        }
        long offset = (long) storage.bytes() * index * planeStride();
        return buffer.slice(offset, buffer.bytes() - offset, label);
    }

    DeviceBuffer buffer() {
        return buffer;
    }

    int slotCapacity() {
        return buffer == null ? 0 : slotCapacity;
    }

    int lengthCapacity() {
        return buffer == null ? 0 : lengthCapacity;
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
        return storage == Precision.FP32 ? ElementType.F32 : ElementType.F16;
    }

    /** The kernels' name for the element type. */
    Precision storage() {
        return storage;
    }

    @Override
    public void release(int slot) {
        // Slots are addressed by index inside one block; a released slot's memory is reused by its next user.
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (buffer != null) {
                pool.release(buffer);
                buffer = null;
            }
        }
    }
}
