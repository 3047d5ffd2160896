package dev.m2m100.engine.backend.cuda;

import static dev.m2m100.engine.backend.cuda.CudaChecks.check;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.IdentityHashMap;
import java.util.Map;

import jcuda.Pointer;
import jcuda.driver.JCudaDriver;

/** {@link StagingDevice} on a CUDA device: {@code cuMemHostAlloc}'d pinned memory, async copies on one stream. */
final class DriverStaging implements StagingDevice {

    private final CudaContext context;
    private final CudaStream stream;
    private final DeviceMemoryPool pool;
    /** The driver's pointer of each region's pinned memory (segments do not carry it). */
    private final Map<MemorySegment, Pointer> pinned = new IdentityHashMap<>();

    DriverStaging(CudaContext context, CudaStream stream, DeviceMemoryPool pool) {
        this.context = context;
        this.stream = stream;
        this.pool = pool;
    }

    @Override
    public Region allocate(long bytes) {
        context.makeCurrent();
        DeviceBuffer device = pool.allocate(bytes, "pinned staging (device side)");
        Pointer host = new Pointer();
        try {
            check(JCudaDriver.cuMemHostAlloc(host, bytes, 0), "cuMemHostAlloc(" + bytes + " bytes of staging)");
        } catch (RuntimeException e) {
            pool.release(device);
            throw e;
        }
        MemorySegment segment = MemorySegment.ofBuffer(host.getByteBuffer(0, bytes).order(ByteOrder.nativeOrder()));
        pinned.put(segment, host);
        return new Region(segment, device);
    }

    @Override
    public void free(Region region) {
        Pointer host = pinned.remove(region.host());
        Cleanup.all(() -> check(JCudaDriver.cuMemFreeHost(host), "cuMemFreeHost(staging)"),
                () -> pool.release(region.device()));
    }

    @Override
    public void copyToDeviceAsync(Region region, long offset, long bytes) {
        check(JCudaDriver.cuMemcpyHtoDAsync(region.device().pointer().withByteOffset(offset),
                pinned.get(region.host()).withByteOffset(offset), bytes, stream.handle()),
                "cuMemcpyHtoDAsync(" + bytes + " staged bytes)");
    }

    @Override
    public void copyToHostAsync(DeviceBuffer src, Region region, long offset, long bytes) {
        check(JCudaDriver.cuMemcpyDtoHAsync(pinned.get(region.host()).withByteOffset(offset), src.pointer(), bytes,
                stream.handle()), "cuMemcpyDtoHAsync(" + src.label() + ", " + bytes + " bytes)");
    }

    @Override
    public void synchronize(String after) {
        stream.synchronize(after);
    }
}
