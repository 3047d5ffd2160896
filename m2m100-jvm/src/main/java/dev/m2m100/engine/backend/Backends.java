package dev.m2m100.engine.backend;

import dev.m2m100.engine.backend.cpu.CpuBackend;
import dev.m2m100.engine.backend.cpu.gemm.WeightFormat;
import dev.m2m100.engine.backend.cuda.CudaAvailability;
import dev.m2m100.engine.backend.cuda.CudaBackend;
import dev.m2m100.engine.backend.cuda.CudaException;
import dev.m2m100.engine.backend.cuda.Precision;
import java.util.function.BiFunction;
import java.util.function.IntFunction;

/**
 * Opens the backend a {@link BackendChoice} names, mapping the typed dtype to the backend's own format
 * ({@link WeightFormat} on the CPU, {@link Precision} on CUDA). With {@code auto}, a CUDA backend that fails to
 * start falls back to the CPU, logged; an explicit {@code cuda} fails with the reason.
 */
public final class Backends {
    private Backends() {}

    private static final System.Logger LOG = System.getLogger(Backends.class.getName());

    /** A backend and where it runs. */
    public record Opened(Backend backend, Placement placement) {}

    public static Opened open(DeviceSpec device, WeightDType dtype, int threads) {
        return open(device, dtype, threads, CudaAvailability::probe, (ordinal, p) -> CudaBackend.open(ordinal, p, false));
    }

    /** As {@link #open(DeviceSpec, WeightDType, int)} with a given CUDA probe and CUDA opener (tests). */
    static Opened open(DeviceSpec device, WeightDType dtype, int threads, IntFunction<CudaAvailability> probe,
                       BiFunction<Integer, Precision, Backend> cudaOpener) {
        BackendChoice choice = BackendChoice.choose(device, dtype, probe);
        if (choice.target() == BackendChoice.Target.CUDA) {
            Precision precision = Precision.of(choice.dtype()).orElseThrow(); // checked by BackendChoice
            try {
                Backend cuda = cudaOpener.apply(choice.ordinal(), precision);
                return new Opened(cuda, new Placement(cuda.name(), choice.dtype(), 0, choice.reason()));
            } catch (CudaException e) {
                if (device.kind() != DeviceSpec.Kind.AUTO) {
                    throw e;
                }
                choice = BackendChoice.cpu(dtype, "auto: cpu, because the CUDA backend failed to start: " + e.getMessage());
                LOG.log(System.Logger.Level.WARNING, choice.reason());
            }
        }
        CpuBackend cpu = new CpuBackend(threads, WeightFormat.of(choice.dtype()));
        return new Opened(cpu, new Placement(cpu.name(), choice.dtype(), cpu.threads(), choice.reason()));
    }
}
