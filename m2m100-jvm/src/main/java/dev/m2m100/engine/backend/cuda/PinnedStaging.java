package dev.m2m100.engine.backend.cuda;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Per-call metadata (ids, slots, lengths) to the device and small results back, without synchronous copies: the
 * values are written into pinned host memory and copied asynchronously on the backend's stream, so a copy neither
 * waits for the queued GPU work nor holds a Java array pinned (which would block the garbage collector meanwhile).
 *
 * <p>One arena, reused from its start after every {@link #synchronize}: until then the queued copies may still
 * read their bytes, so a call that does not fit the rest first waits for the stream (and one larger than the whole
 * arena replaces it with one twice the size). All arrays of one call are placed together, so a call never sees
 * its own earlier slices invalidated. Device slices stay valid until the next synchronize, by which time the
 * kernels queued with them have run. Single caller thread, like the backend.
 */
final class PinnedStaging implements AutoCloseable {

    /** Alignment of each staged array. */
    static final long ALIGN = 16;

    private final StagingDevice device;
    private StagingDevice.Region region;
    private long capacity;
    private long cursor;
    private boolean closed;

    PinnedStaging(StagingDevice device, long initialBytes) {
        if (initialBytes < ALIGN) {
            throw new IllegalArgumentException("staging needs at least " + ALIGN + " bytes, got " + initialBytes);
        }
        this.device = device;
        this.capacity = align(initialBytes);
        this.region = device.allocate(capacity);
    }

    /**
     * Queues copies of the arrays to device memory, in stream order; returns their device slices (an empty array
     * gets a slice of {@link #ALIGN} bytes, so kernels may receive a valid pointer).
     */
    DeviceBuffer[] upload(String label, int[]... arrays) {
        long[] offsets = reserve(bytesOf(arrays));
        DeviceBuffer[] out = new DeviceBuffer[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            long bytes = 4L * arrays[i].length;
            MemorySegment.copy(arrays[i], 0, region.host(), ValueLayout.JAVA_INT, offsets[i], arrays[i].length);
            if (bytes > 0) {
                device.copyToDeviceAsync(region, offsets[i], bytes);
            }
            out[i] = region.device().slice(offsets[i], Math.max(ALIGN, bytes), label + " #" + i);
        }
        return out;
    }

    /**
     * Queues copies of {@code floats.length} values of {@code floatSrc} and {@code ints.length} of {@code intSrc}
     * into pinned memory, waits for the stream (which also resets the arena), then copies them into the arrays.
     */
    void download(String after, DeviceBuffer floatSrc, float[] floats, DeviceBuffer intSrc, int[] ints) {
        long floatBytes = 4L * floats.length;
        long intBytes = 4L * ints.length;
        long[] at = reserve(new long[] {floatBytes, intBytes});
        if (floatBytes > 0) {
            device.copyToHostAsync(floatSrc, region, at[0], floatBytes);
        }
        if (intBytes > 0) {
            device.copyToHostAsync(intSrc, region, at[1], intBytes);
        }
        synchronize(after);
        MemorySegment.copy(region.host(), ValueLayout.JAVA_FLOAT, at[0], floats, 0, floats.length);
        MemorySegment.copy(region.host(), ValueLayout.JAVA_INT, at[1], ints, 0, ints.length);
    }

    /** Waits for the stream; every staged byte may be reused afterwards. */
    void synchronize(String after) {
        device.synchronize(after);
        cursor = 0;
    }

    long capacity() {
        return capacity;
    }

    private static long[] bytesOf(int[][] arrays) {
        long[] bytes = new long[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            bytes[i] = 4L * arrays[i].length;
        }
        return bytes;
    }

    /** Offsets for blocks of the given sizes, all in the arena at once (waiting for the stream or growing first). */
    private long[] reserve(long[] sizes) {
        if (closed) {
            throw new IllegalStateException("staging is closed");
        }
        long total = 0;
        for (long s : sizes) {
            total += align(Math.max(ALIGN, s));
        }
        if (region == null || cursor + total > capacity) {
            synchronize("staging full");
            if (region == null || total > capacity) {
                replace(Math.max(total, region == null ? capacity : 2 * capacity));
            }
        }
        long[] offsets = new long[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            offsets[i] = cursor;
            cursor += align(Math.max(ALIGN, sizes[i]));
        }
        return offsets;
    }

    /** A new arena of {@code bytes} (after a synchronize: nothing queued reads the old one any more). */
    private void replace(long bytes) {
        StagingDevice.Region old = region;
        region = null;
        if (old != null) {
            device.free(old);
        }
        region = device.allocate(bytes);
        capacity = bytes;
    }

    private static long align(long bytes) {
        return (bytes + ALIGN - 1) / ALIGN * ALIGN;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (region != null) {
                device.free(region);
                region = null;
            }
        }
    }
}
