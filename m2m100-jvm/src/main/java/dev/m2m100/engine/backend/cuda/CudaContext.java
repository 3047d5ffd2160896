package dev.m2m100.engine.backend.cuda;

import static dev.m2m100.engine.backend.cuda.CudaChecks.check;

import java.nio.charset.StandardCharsets;

import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.JCudaDriver;

/**
 * One CUDA device's primary context (the one the CUDA runtime also uses). The driver
 * binds contexts per thread: every entry point of the backend calls {@link #makeCurrent()} first, so the
 * single scheduler thread and test threads alike run against this device.
 */
public final class CudaContext implements AutoCloseable {

    private final int ordinal;
    private final CUdevice device;
    private final CUcontext context;
    private final String name;
    private final int ccMajor;
    private final int ccMinor;
    private final long totalMemory;
    private boolean closed;

    private CudaContext(int ordinal, CUdevice device, CUcontext context, String name, int ccMajor, int ccMinor,
                        long totalMemory) {
        this.ordinal = ordinal;
        this.device = device;
        this.context = context;
        this.name = name;
        this.ccMajor = ccMajor;
        this.ccMinor = ccMinor;
        this.totalMemory = totalMemory;
    }

    /**
     * Initialises the driver and retains device {@code ordinal}'s primary context.
     *
     * @throws CudaException when the driver cannot be loaded or the device cannot be opened
     */
    public static CudaContext open(int ordinal) {
        CudaAvailability availability = CudaAvailability.probe(ordinal);
        if (!availability.available()) {
            throw new CudaException("cannot open CUDA device " + ordinal + ": " + availability.reason());
        }
        CUdevice device = new CUdevice();
        check(JCudaDriver.cuDeviceGet(device, ordinal), "cuDeviceGet(" + ordinal + ")");
        byte[] nameBytes = new byte[256];
        check(JCudaDriver.cuDeviceGetName(nameBytes, nameBytes.length, device), "cuDeviceGetName");
        String name = new String(nameBytes, StandardCharsets.US_ASCII).replaceAll("\0.*", "").trim();
        int major = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, "cc major");
        int minor = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, "cc minor");
        long[] total = new long[1];
        check(JCudaDriver.cuDeviceTotalMem(total, device), "cuDeviceTotalMem");
        CUcontext context = new CUcontext();
        check(JCudaDriver.cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain(" + ordinal + ")");
        CudaContext result = new CudaContext(ordinal, device, context, name, major, minor, total[0]);
        result.makeCurrent();
        return result;
    }

    private static int attribute(CUdevice device, int attribute, String what) {
        int[] value = new int[1];
        check(JCudaDriver.cuDeviceGetAttribute(value, attribute, device), "cuDeviceGetAttribute(" + what + ")");
        return value[0];
    }

    /** Binds this context to the calling thread. */
    public void makeCurrent() {
        if (closed) {
            throw new IllegalStateException("CUDA context of device " + ordinal + " is closed");
        }
        check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent(device " + ordinal + ")");
    }

    /** Free and total device memory in bytes, as the driver reports them now. */
    public long[] memoryInfo() {
        makeCurrent();
        long[] free = new long[1];
        long[] total = new long[1];
        check(JCudaDriver.cuMemGetInfo(free, total), "cuMemGetInfo");
        return new long[] {free[0], total[0]};
    }

    /** Creates a stream on this device. */
    public CudaStream newStream() {
        makeCurrent();
        return CudaStream.create();
    }

    public int ordinal() {
        return ordinal;
    }

    public String name() {
        return name;
    }

    /** The device's architecture as PTX compilers name it, e.g. {@code sm_90}. */
    public String smArch() {
        return "sm_" + ccMajor + ccMinor;
    }

    public int computeCapabilityMajor() {
        return ccMajor;
    }

    public int computeCapabilityMinor() {
        return ccMinor;
    }

    public long totalMemory() {
        return totalMemory;
    }

    @Override
    public String toString() {
        return "CUDA device " + ordinal + " (" + name + ", " + smArch() + ", " + (totalMemory >> 20) + " MiB)";
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            check(JCudaDriver.cuDevicePrimaryCtxRelease(device), "cuDevicePrimaryCtxRelease(" + ordinal + ")");
        }
    }
}
