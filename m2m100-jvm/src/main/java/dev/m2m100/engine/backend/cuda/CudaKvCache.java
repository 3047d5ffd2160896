package dev.m2m100.engine.backend.cuda;

import static dev.m2m100.engine.backend.cuda.CudaChecks.check;

import dev.m2m100.engine.backend.KvCache;
import jcuda.driver.CUDA_MEMCPY2D;
import jcuda.driver.CUmemorytype;
import jcuda.driver.JCudaDriver;

/**
 * Keys and values on the device, float32, in one slot-major block:
 * {@code [slot][layer][key|value][position < lengthCapacity][width]}. A slot is a fixed stride away from the
 * next, so kernels address any slot from one base pointer. Both the slot count and the per-slot length
 * capacity grow by doubling (up to {@code maxLength}) when a call needs more; growing copies every slot's
 * stored prefix into the new layout with one pitched device copy.
 */
final class CudaKvCache implements KvCache {

    private static final int MIN_LENGTH = 32;

    private final int layers;
    private final int width;
    private final int maxLength;
    private final DeviceMemoryPool pool;
    private final CudaStream stream;
    private DeviceBuffer buffer;
    private int slotCapacity;
    private int lengthCapacity;
    private final int slotHint;
    private boolean closed;

    CudaKvCache(int layers, int width, int maxLength, int slotHint, DeviceMemoryPool pool, CudaStream stream) {
        if (layers < 1 || width < 1 || maxLength < 1) {
            throw new IllegalArgumentException("bad cache shape: " + layers + " layers, width " + width
                    + ", max length " + maxLength);
        }
        this.layers = layers;
        this.width = width;
        this.maxLength = maxLength;
        this.slotHint = Math.max(1, slotHint);
        this.pool = pool;
        this.stream = stream;
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
        long bytes = 4L * slots * layers * 2 * len * width;
        DeviceBuffer grown = pool.allocate(bytes, "KV cache " + slots + " slots x " + len + " positions");
        if (buffer != null) {
            // Every (slot, layer, key|value) plane keeps its first lengthCapacity positions.
            CUDA_MEMCPY2D copy = new CUDA_MEMCPY2D();
            copy.srcMemoryType = CUmemorytype.CU_MEMORYTYPE_DEVICE;
            copy.srcDevice = buffer.pointer();
            copy.srcPitch = 4L * lengthCapacity * width;
            copy.dstMemoryType = CUmemorytype.CU_MEMORYTYPE_DEVICE;
            copy.dstDevice = grown.pointer();
            copy.dstPitch = 4L * len * width;
            copy.WidthInBytes = 4L * lengthCapacity * width;
            copy.Height = (long) slotCapacity * layers * 2;
            check(JCudaDriver.cuMemcpy2DAsync(copy, stream.handle()), "cuMemcpy2DAsync (growing the KV cache to "
                    + slots + " slots x " + len + " positions)");
            pool.release(buffer);
        }
        buffer = grown;
        slotCapacity = slots;
        lengthCapacity = len;
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
        long offset = 4L * index * planeStride();
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
