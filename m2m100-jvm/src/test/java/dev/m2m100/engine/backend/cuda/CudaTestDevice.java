package dev.m2m100.engine.backend.cuda;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;

/**
 * A CUDA device for GPU tests: context, stream, our modules, a pool and, on first use, each GEMM implementation.
 * When no GPU is usable the test is skipped (aborted) with the probe's reason, which is also printed so the build
 * log says why.
 */
final class CudaTestDevice implements AutoCloseable {

    final CudaContext context;
    final CudaStream stream;
    final KernelModules modules;
    final CudaKernels kernels;
    final DeviceMemoryPool pool;
    private final Map<GemmImplementation, CudaGemm> gemms = new EnumMap<>(GemmImplementation.class);

    private CudaTestDevice(CudaContext context, CudaStream stream, KernelModules modules, DeviceMemoryPool pool) {
        this.context = context;
        this.stream = stream;
        this.modules = modules;
        this.pool = pool;
        // Synchronise after every launch so a kernel fault names its kernel.
        this.kernels = new CudaKernels(new KernelLauncher(modules, stream, true));
    }

    /** Opens device 0, or prints why not and returns null (then {@link #assumeOpened} skips each test). */
    static CudaTestDevice tryOpen(String testName) {
        CudaAvailability availability = CudaAvailability.probe(0);
        if (!availability.available()) {
            System.out.println("SKIPPING " + testName + " (GPU tests): " + availability.reason());
            return null;
        }
        CudaContext context = CudaContext.open(0);
        CudaStream stream = null;
        KernelModules modules = null;
        try {
            stream = context.newStream();
            modules = KernelModules.load(context);
            System.out.println(testName + " on " + context);
            modules.loadLog().forEach(line -> System.out.println("  " + line));
            DeviceMemoryPool pool = DeviceMemoryPool.create(context, 256L << 20, 8L << 30);
            return new CudaTestDevice(context, stream, modules, pool);
        } catch (RuntimeException | LinkageError e) {
            Cleanup.afterFailure(e, Cleanup.closing(modules), Cleanup.closing(stream), Cleanup.closing(context));
            throw e;
        }
    }

    /** Skips (aborts) the calling test when no device could be opened, with the probe's reason. */
    static void assumeOpened(CudaTestDevice device) {
        if (device == null) {
            Assumptions.abort("no usable CUDA device: " + CudaAvailability.probe(0).reason());
        }
    }

    /** The GEMM implementation {@code g} on this device's stream, opened on first use (cuBLAS must load). */
    CudaGemm gemm(GemmImplementation g) {
        return gemms.computeIfAbsent(g, i -> i.open(context, stream, kernels, pool));
    }

    DeviceBuffer upload(float[] values, String label) {
        DeviceBuffer b = pool.allocate(4L * values.length, label);
        b.upload(values);
        return b;
    }

    DeviceBuffer upload(int[] values, String label) {
        DeviceBuffer b = pool.allocate(4L * values.length, label);
        b.upload(values);
        return b;
    }

    /** Uploads in the storage type of {@code p} (fp16 values are rounded to nearest even). */
    DeviceBuffer upload(Precision p, float[] values, String label) {
        if (p == Precision.FP32) {
            return upload(values, label);
        }
        DeviceBuffer b = pool.allocate(2L * values.length, label);
        b.upload(toHalf(values));
        return b;
    }

    float[] download(Precision p, DeviceBuffer b, int n) {
        stream.synchronize("download of " + b.label());
        if (p == Precision.FP32) {
            float[] out = new float[n];
            b.download(out);
            return out;
        }
        short[] h = new short[n];
        b.download(h);
        return fromHalf(h);
    }

    float[] downloadFloats(DeviceBuffer b, int n) {
        return download(Precision.FP32, b, n);
    }

    int[] downloadInts(DeviceBuffer b, int n) {
        stream.synchronize("download of " + b.label());
        int[] out = new int[n];
        b.download(out);
        return out;
    }

    static short[] toHalf(float[] v) {
        short[] h = new short[v.length];
        for (int i = 0; i < v.length; i++) {
            h[i] = Float.floatToFloat16(v[i]);
        }
        return h;
    }

    static float[] fromHalf(short[] h) {
        float[] v = new float[h.length];
        for (int i = 0; i < h.length; i++) {
            v[i] = Float.float16ToFloat(h[i]);
        }
        return v;
    }

    /** The values a kernel sees after storing {@code v} in precision p. */
    static float[] stored(Precision p, float[] v) {
        return p == Precision.FP32 ? v.clone() : fromHalf(toHalf(v));
    }

    @Override
    public void close() {
        List<Cleanup.Step> steps = new ArrayList<>();
        gemms.values().forEach(g -> steps.add(g::close));
        steps.addAll(List.of(pool::close, modules::close, stream::close, context::close));
        Cleanup.all(steps);
    }
}
