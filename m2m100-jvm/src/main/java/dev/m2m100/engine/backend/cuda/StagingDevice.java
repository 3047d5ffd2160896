package dev.m2m100.engine.backend.cuda;

import java.lang.foreign.MemorySegment;

/**
 * The driver operations {@link PinnedStaging} needs: pinned host memory paired with device memory, copies between
 * them queued on the backend's stream, and waiting for that stream. {@link DriverStaging} on a device; a fake that
 * performs queued copies only when synchronised in the CPU tests.
 */
interface StagingDevice {

    /** Pinned host memory and device memory of the same size; the host side is written through {@code host}. */
    record Region(MemorySegment host, DeviceBuffer device) {}

    Region allocate(long bytes);

    void free(Region region);

    /** Queues a copy of {@code host[offset, offset + bytes)} to the same range of the region's device memory. */
    void copyToDeviceAsync(Region region, long offset, long bytes);

    /** Queues a copy of the first {@code bytes} of {@code src} to {@code host[offset, offset + bytes)}. */
    void copyToHostAsync(DeviceBuffer src, Region region, long offset, long bytes);

    /** Waits until everything queued on the stream has run. */
    void synchronize(String after);
}
