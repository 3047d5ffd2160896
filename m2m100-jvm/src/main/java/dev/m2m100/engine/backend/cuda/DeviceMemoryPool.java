package dev.m2m100.engine.backend.cuda;

import static dev.m2m100.engine.backend.cuda.CudaChecks.check;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;

import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * Device memory for weights, activations and KV caches: large chunks from {@code cuMemAlloc}, each carved up
 * by an {@link ArenaAllocator}, so tensors do not cost a driver allocation each. A request no chunk can hold
 * gets a new chunk (at least {@code chunkBytes}); running out of device memory, or past {@code limitBytes},
 * is a {@link DeviceOutOfMemoryException} naming the request, so a caller can shrink its batch instead of
 * failing. Chunks are kept until the pool closes. Not thread-safe (the backend is driven by one thread).
 */
public final class DeviceMemoryPool implements AutoCloseable {

    private record Chunk(CUdeviceptr base, ArenaAllocator arena) {}

    private record Block(Chunk chunk, long offset) {}

    private final CudaContext context;
    private final long chunkBytes;
    private final long limitBytes;
    private final List<Chunk> chunks = new ArrayList<>();
    /** Live blocks, by the identity of the pointer object handed out (JCuda hides raw addresses). */
    private final IdentityHashMap<CUdeviceptr, Block> blocks = new IdentityHashMap<>();
    private long reservedBytes;
    private boolean closed;

    private DeviceMemoryPool(CudaContext context, long chunkBytes, long limitBytes) {
        this.context = context;
        this.chunkBytes = ArenaAllocator.align(chunkBytes);
        this.limitBytes = limitBytes;
    }

    /**
     * A pool that reserves device memory in chunks of at least {@code chunkBytes} as needed, never more than
     * {@code limitBytes} in total.
     */
    public static DeviceMemoryPool create(CudaContext context, long chunkBytes, long limitBytes) {
        if (chunkBytes < 1 || limitBytes < 1) {
            throw new IllegalArgumentException("pool chunk and limit must be positive: " + chunkBytes + ", " + limitBytes);
        }
        return new DeviceMemoryPool(context, chunkBytes, limitBytes);
    }

    /** Hands out a block of at least {@code bytes}; {@code label} names it in errors. */
    public DeviceBuffer allocate(long bytes, String label) {
        if (closed) {
            throw new IllegalStateException("device memory pool is closed");
        }
        if (bytes < 1) {
            throw new IllegalArgumentException("allocation of " + bytes + " bytes for " + label);
        }
        for (Chunk chunk : chunks) {
            long offset = chunk.arena().allocate(bytes);
            if (offset >= 0) {
                return hand(chunk, offset, bytes, label);
            }
        }
        Chunk chunk = newChunk(Math.max(chunkBytes, ArenaAllocator.align(bytes)), bytes, label);
        return hand(chunk, chunk.arena().allocate(bytes), bytes, label);
    }

    private DeviceBuffer hand(Chunk chunk, long offset, long bytes, String label) {
        CUdeviceptr pointer = chunk.base().withByteOffset(offset);
        blocks.put(pointer, new Block(chunk, offset));
        return new DeviceBuffer(pointer, bytes, label);
    }

    private Chunk newChunk(long size, long requested, String label) {
        if (reservedBytes + size > limitBytes) {
            throw new DeviceOutOfMemoryException("device memory pool limit reached allocating " + label + " ("
                    + requested + " bytes): " + (reservedBytes >> 20) + " MiB reserved, limit "
                    + (limitBytes >> 20) + " MiB", requested);
        }
        context.makeCurrent();
        CUdeviceptr base = new CUdeviceptr();
        int rc = JCudaDriver.cuMemAlloc(base, size);
        if (rc != CUresult.CUDA_SUCCESS) {
            long[] info = context.memoryInfo();
            throw new DeviceOutOfMemoryException("out of device memory allocating " + label + " (" + requested
                    + " bytes, chunk of " + (size >> 20) + " MiB) on " + context + ": " + CUresult.stringFor(rc)
                    + "; pool holds " + (reservedBytes >> 20) + " MiB, " + (usedBytes() >> 20) + " MiB in use, device "
                    + "free " + (info[0] >> 20) + " MiB", requested);
        }
        Chunk chunk = new Chunk(base, new ArenaAllocator(size));
        chunks.add(chunk);
        reservedBytes += size;
        return chunk;
    }

    /** Returns a block obtained from {@link #allocate} (not a slice of it). */
    public void release(DeviceBuffer buffer) {
        Block block = blocks.remove(buffer.pointer());
        if (block == null) {
            throw new IllegalArgumentException(buffer.label() + " was not allocated by this pool (or was released)");
        }
        block.chunk().arena().free(block.offset());
    }

    /** Device memory reserved from the driver. */
    public long reservedBytes() {
        return reservedBytes;
    }

    /** Bytes in live blocks (rounded up to the arena alignment). */
    public long usedBytes() {
        long used = 0;
        for (Chunk c : chunks) {
            used += c.arena().usedBytes();
        }
        return used;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            List<Cleanup.Step> steps = new ArrayList<>();
            steps.add(context::makeCurrent);
            for (Chunk c : chunks) {
                steps.add(() -> check(JCudaDriver.cuMemFree(c.base()), "cuMemFree(device memory pool chunk)"));
            }
            chunks.clear();
            blocks.clear();
            Cleanup.all(steps);
        }
    }
}
