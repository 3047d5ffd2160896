package dev.m2m100.tools;

import dev.m2m100.tools.bench.GemmBench;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code m2m100 bench-kernels}: the CPU GEMM/GEMV micro-benchmark ({@link GemmBench}) on the model's shapes, with
 * a memory-bandwidth probe before and after, so kernel speeds can be read against the machine's ceilings.
 */
@Command(name = "bench-kernels",
        mixinStandardHelpOptions = true,
        description = {
                "Micro-benchmark of the CPU linear kernels (x·Wᵀ + b over pre-packed weights)",
                "on the model's shapes, with a streaming-read bandwidth probe before and after.",
                "Options (all optional):",
                "  --threads T            compute threads (default: one per core)",
                "  --formats f32,bf16,... weight formats: f32, bf16, f16, int8 (default: all)",
                "  --m 1,5,16,64          rows of x per call",
                "  --shapes KxN,...       weight shapes (default: 1024x4096,1024x1024,",
                "                         1024x128112,4096x1024)",
                "  --reps R               timed batches per case, median reported (default: 5)",
                "  --min-ms MS            length of each timed batch (default: 200)",
                "  --warmup-ms MS         JIT warm-up per case (default: 1000)",
                "  --no-bandwidth         skip the bandwidth probe",
                "  --copies C             pack each matrix C times and rotate through the copies,",
                "                         so the weights come from memory as in the decoder (default: 1)",
                "One line per case: gemm fmt= m= k= n= ms=<median> gflops= best_gflops=",
                "wgbps=<weight GB/s> spread= caller_cpu_gflops= caller_alloc_bytes_per_call=.",
                "Against OpenBLAS: tools/bench/gemm-compare.sh.",
                "Exit status: 0 ok, 2 bad arguments."})
public final class KernelBenchCommand implements Callable<Integer> {

    private final PrintStream out;
    private final PrintStream err;

    public KernelBenchCommand() {
        this(System.out, System.err);
    }

    /** Prints results to {@code out} and errors to {@code err} (tests). */
    public KernelBenchCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** The options above, passed on to the benchmark as they are (it parses and checks them). */
    @Unmatched
    List<String> arguments = new ArrayList<>();

    @Override
    public Integer call() {
        try {
            GemmBench.run(arguments.toArray(String[]::new), out);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("m2m100 bench-kernels: " + e.getMessage());
            return 2;
        }
    }
}
