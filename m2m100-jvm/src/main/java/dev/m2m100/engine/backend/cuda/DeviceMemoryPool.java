package dev.m2m100.engine.backend.cuda;

import static dev.m2m100.engine.backend.cuda.CudaChecks.check;

import java.util.IdentityHashMap;

import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/**
 * Device memory for activations and KV caches: one cuMemAlloc of a fixed capacity, carved up by an
 * {@link ArenaAllocator}. Running out is a {@link DeviceOutOfMemoryException} that names the request, so the
 * caller can shrink its batch; it never reaches the driver as a failed allocation mid-step.
 */
public final class DeviceMemoryPool implements AutoCloseable {

    private final CudaContext context;
    private final CUdeviceptr base;
    private final ArenaAllocator arena;
    /** Offsets of live blocks, by the identity of the pointer object handed out (JCuda hides addresses). */
    private final IdentityHashMap<CUdeviceptr, Long> offsets = new IdentityHashMap<>();
    private boolean closed;

    private DeviceMemoryPool(CudaContext context, CUdeviceptr base, ArenaAllocator arena) {
        this.context = context;
        this.base = base;
        this.arena = arena;
    }

    /** Reserves {@code capacityBytes} (rounded up to the arena alignment) on the context's device. */
    public static DeviceMemoryPool reserve(CudaContext context, long capacityBytes) {
        long capacity = ArenaAllocator.align(capacityBytes);
        context.makeCurrent();
        CUdeviceptr base = new CUdeviceptr();
        int rc = JCudaDriver.cuMemAlloc(base, capacity);
        if (rc != jcuda.driver.CUresult.CUDA_SUCCESS) {
            long[] info = context.memoryInfo();
            throw new DeviceOutOfMemoryException("cannot reserve a device memory pool of " + (capacity >> 20)
                    + " MiB on " + context + ": " + jcuda.driver.CUresult.stringFor(rc) + " (free "
                    + (info[0] >> 20) + " MiB)", capacity);
        }
        return new DeviceMemoryPool(context, base, new ArenaAllocator(capacity));
    }

    /**
     * A pool size from the memory free now: all of it except {@code headroomBytes} (kept for cuBLAS
     * workspaces, module code and the driver), never more than {@code wantedBytes}.
     */
    public static long sizeFromFreeMemory(CudaContext context, long wantedBytes, long headroomBytes) {
        long free = context.memoryInfo()[0];
        long usable = Math.max(0, free - headroomBytes);
        return Math.min(wantedBytes, usable);
    }

    /** Hands out a block of at least {@code bytes}; {@code label} names it in errors. */
    public DeviceBuffer allocate(long bytes, String label) {
        if (closed) {
            throw new IllegalStateException("device memory pool is closed");
        }
        long offset = arena.allocate(bytes);
        if (offset < 0) {
            throw new DeviceOutOfMemoryException("device memory pool exhausted allocating " + label + " ("
                    + bytes + " bytes): " + arena.usedBytes() + " of " + arena.capacity()
                    + " bytes in use, largest free block " + arena.largestFreeBlock() + " bytes", bytes);
        }
        CUdeviceptr pointer = base.withByteOffset(offset);
        offsets.put(pointer, offset);
        return new DeviceBuffer(pointer, bytes, label);
    }

    /** Returns a block obtained from {@link #allocate} (not a slice of it). */
    public void release(DeviceBuffer buffer) {
        Long offset = offsets.remove(buffer.pointer());
        if (offset == null) {
            throw new IllegalArgumentException(buffer.label() + " was not allocated by this pool (or was released)");
        }
        arena.free(offset);
    }

    public long capacity() {
        return arena.capacity();
    }

    public long usedBytes() {
        return arena.usedBytes();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            context.makeCurrent();
            check(JCudaDriver.cuMemFree(base), "cuMemFree(device memory pool)");
        }
    }
}
