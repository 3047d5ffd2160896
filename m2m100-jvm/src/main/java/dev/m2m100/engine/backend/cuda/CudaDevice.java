package dev.m2m100.engine.backend.cuda;

/**
 * Everything one CUDA backend instance drives, opened together and closed in reverse order: the device's
 * context, one stream (the scheduler's), our kernel modules, the typed kernels, cuBLAS on the same stream,
 * and a growable memory pool for weights, activations and caches.
 */
public final class CudaDevice implements AutoCloseable {

    private final CudaContext context;
    private final CudaStream stream;
    private final KernelModules modules;
    private final CudaKernels kernels;
    private final CublasGemm gemm;
    private final DeviceMemoryPool pool;
    private final Precision precision;

    private CudaDevice(CudaContext context, CudaStream stream, KernelModules modules, CudaKernels kernels,
                       CublasGemm gemm, DeviceMemoryPool pool, Precision precision) {
        this.context = context;
        this.stream = stream;
        this.modules = modules;
        this.kernels = kernels;
        this.gemm = gemm;
        this.pool = pool;
        this.precision = precision;
    }

    /** Device memory is reserved in chunks of this size (or the size of a larger request). */
    static final long POOL_CHUNK = 256L << 20;

    /**
     * Opens device {@code ordinal}; its memory pool reserves device memory as needed, up to
     * {@code poolLimitBytes}.
     *
     * @param checkEachLaunch synchronise after every kernel so a fault names its kernel (tests, debugging)
     */
    public static CudaDevice open(int ordinal, Precision precision, long poolLimitBytes, boolean checkEachLaunch) {
        CudaContext context = CudaContext.open(ordinal);
        CudaStream stream = null;
        KernelModules modules = null;
        CublasGemm gemm = null;
        try {
            stream = context.newStream();
            modules = KernelModules.load(context);
            CudaKernels kernels = new CudaKernels(new KernelLauncher(modules, stream, checkEachLaunch));
            gemm = CublasGemm.create(context, stream, precision);
            DeviceMemoryPool pool = DeviceMemoryPool.create(context, POOL_CHUNK, poolLimitBytes);
            return new CudaDevice(context, stream, modules, kernels, gemm, pool, precision);
        } catch (RuntimeException | LinkageError e) {
            Cleanup.afterFailure(e, Cleanup.closing(gemm), Cleanup.closing(modules), Cleanup.closing(stream),
                    Cleanup.closing(context));
            throw e;
        }
    }

    public CudaContext context() {
        return context;
    }

    public CudaStream stream() {
        return stream;
    }

    public KernelModules modules() {
        return modules;
    }

    public CudaKernels kernels() {
        return kernels;
    }

    public CublasGemm gemm() {
        return gemm;
    }

    public DeviceMemoryPool pool() {
        return pool;
    }

    public Precision precision() {
        return precision;
    }

    /** Releases everything in reverse order of opening, each step attempted even when an earlier one fails. */
    @Override
    public void close() {
        Cleanup.all(context::makeCurrent, pool::close, gemm::close, modules::close, stream::close, context::close);
    }
}
