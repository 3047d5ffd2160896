package dev.m2m100.engine.backend.cuda;

/**
 * Everything one CUDA backend instance drives, opened together and closed in reverse order: the device's
 * context, one stream (the scheduler's), our kernel modules, the typed kernels, a growable memory pool for
 * weights, activations and caches, pinned staging for per-call metadata, and the GEMM (cuBLAS on that stream, or
 * our kernel).
 */
public final class CudaDevice implements AutoCloseable {

    private final CudaContext context;
    private final CudaStream stream;
    private final KernelModules modules;
    private final CudaKernels kernels;
    private final DeviceMemoryPool pool;
    private final PinnedStaging staging;
    private final CudaGemm gemm;
    private final GemmImplementation gemmImplementation;
    private final Precision precision;

    private CudaDevice(CudaContext context, CudaStream stream, KernelModules modules, CudaKernels kernels,
                       DeviceMemoryPool pool, PinnedStaging staging, CudaGemm gemm,
                       GemmImplementation gemmImplementation, Precision precision) {
        this.context = context;
        this.stream = stream;
        this.modules = modules;
        this.kernels = kernels;
        this.pool = pool;
        this.staging = staging;
        this.gemm = gemm;
        this.gemmImplementation = gemmImplementation;
        this.precision = precision;
    }

    /** Device memory is reserved in chunks of this size (or the size of a larger request). */
    static final long POOL_CHUNK = 256L << 20;

    /** First size of the pinned staging arena for per-call metadata (it grows when a call needs more). */
    static final long STAGING_BYTES = 64L << 10;

    /**
     * Opens device {@code ordinal} with {@code gemm} for the linear layers; its memory pool reserves device memory
     * as needed, up to {@code poolLimitBytes}.
     *
     * @param checkEachLaunch synchronise after every kernel so a fault names its kernel (tests, debugging)
     * @throws CudaException when the device, our modules or the GEMM (cuBLAS missing, say) cannot be opened
     */
    public static CudaDevice open(int ordinal, Precision precision, GemmImplementation gemm, long poolLimitBytes,
                                  boolean checkEachLaunch) {
        CudaContext context = CudaContext.open(ordinal);
        CudaStream stream = null;
        KernelModules modules = null;
        DeviceMemoryPool pool = null;
        PinnedStaging staging = null;
        try {
            stream = context.newStream();
            modules = KernelModules.load(context);
            CudaKernels kernels = new CudaKernels(new KernelLauncher(modules, stream, checkEachLaunch));
            pool = DeviceMemoryPool.create(context, POOL_CHUNK, poolLimitBytes);
            staging = new PinnedStaging(new DriverStaging(context, stream, pool), STAGING_BYTES);
            CudaGemm linear = gemm.open(context, stream, kernels, pool);
            return new CudaDevice(context, stream, modules, kernels, pool, staging, linear, gemm, precision);
        } catch (RuntimeException | LinkageError e) {
            Cleanup.afterFailure(e, Cleanup.closing(staging), Cleanup.closing(pool), Cleanup.closing(modules),
                    Cleanup.closing(stream), Cleanup.closing(context));
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

    public DeviceMemoryPool pool() {
        return pool;
    }

    /** Pinned host memory for per-call metadata and small results, copied asynchronously on the stream. */
    PinnedStaging staging() {
        return staging;
    }

    /** The linear layers' GEMM. */
    CudaGemm gemm() {
        return gemm;
    }

    /** Which GEMM {@link #gemm()} is, for logs and tests. */
    public GemmImplementation gemmImplementation() {
        return gemmImplementation;
    }

    public Precision precision() {
        return precision;
    }

    /** Releases everything in reverse order of opening, each step attempted even when an earlier one fails. */
    @Override
    public void close() {
        Cleanup.all(context::makeCurrent, gemm::close, staging::close, pool::close, modules::close, stream::close,
                context::close);
    }
}
