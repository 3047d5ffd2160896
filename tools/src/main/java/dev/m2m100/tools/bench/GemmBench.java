package dev.m2m100.tools.bench;

import dev.m2m100.engine.backend.cpu.gemm.Epilogue;
import dev.m2m100.engine.backend.cpu.gemm.Gemm;
import dev.m2m100.engine.backend.cpu.gemm.PackedWeights;
import dev.m2m100.engine.backend.cpu.gemm.VectorWidth;
import dev.m2m100.engine.backend.cpu.gemm.WeightFormat;
import dev.m2m100.engine.backend.cpu.gemm.WorkerPool;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Micro-benchmark of {@link Gemm#linear} on the model's shapes, plus a streaming-read memory bandwidth
 * probe run on the same pool, so GEMV speeds can be read against the bandwidth floor.
 *
 * <pre>
 * ./m2m100 bench-kernels [--threads T] [--formats f32,bf16,f16,int8]
 *      [--m 1,5,16,64] [--shapes 1024x4096,1024x1024,1024x128112,4096x1024] [--reps 5] [--min-ms 200] [--warmup-ms 1000]
 *      [--no-bandwidth] [--copies 1]
 * </pre>
 * {@code --copies C} packs each weight matrix C times and rotates through the copies call by call, so a matrix
 * smaller than the last-level cache is still read from memory, as in the decoder, whose layers' weights together
 * are far larger than any cache.
 * Shapes are {@code KxN}. Output: one line per
 * case, {@code gemm fmt=.. m=.. k=.. n=.. ms=<median>
 * gflops=<median> best_gflops=.. wgbps=<median weight GB/s> spread=<(max-min)/min of the batches>
 * caller_cpu_gflops=<flops per CPU second of the calling thread: with --threads 1, the speed the kernel
 * would have alone on a core, which is robust against other processes>}, plus {@code bandwidth} lines.
 * (See tools/bench/gemm-compare.sh, which runs this next to OpenBLAS via numpy.)
 */
public final class GemmBench {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
    private static final com.sun.management.ThreadMXBean ALLOC = (com.sun.management.ThreadMXBean) CPU;

    private GemmBench() {
    }

    public static void main(String[] args) {
        run(args, System.out);
    }

    /**
     * Runs the benchmark with the arguments of the class comment, printing to {@code report}.
     *
     * @throws IllegalArgumentException for an unknown or malformed argument
     */
    public static void run(String[] args, java.io.PrintStream report) {
        int threads = Runtime.getRuntime().availableProcessors();
        List<WeightFormat> formats = List.of(WeightFormat.values());
        int[] ms = {1, 5, 16, 64};
        String shapes = "1024x4096,1024x1024,1024x128112,4096x1024";
        int reps = 5;
        long minMs = 200;
        long warmupMs = 1000;
        boolean bandwidth = true;
        int copies = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = positive("--threads", value(args, ++i));
                case "--formats" -> formats = Arrays.stream(value(args, ++i).split(",")).map(WeightFormat::parse).toList();
                case "--m" -> ms = Arrays.stream(value(args, ++i).split(",")).mapToInt(v -> positive("--m", v)).toArray();
                case "--shapes" -> shapes = checkShapes(value(args, ++i));
                case "--reps" -> reps = positive("--reps", value(args, ++i));
                case "--min-ms" -> minMs = positive("--min-ms", value(args, ++i));
                case "--warmup-ms" -> warmupMs = positive("--warmup-ms", value(args, ++i));
                case "--no-bandwidth" -> bandwidth = false;
                case "--copies" -> copies = positive("--copies", value(args, ++i));
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (see ./m2m100 bench-kernels --help)");
            }
        }
        // species: the 256-bit kernels (GEMV, compact formats); the f32 multi-row kernels follow the vector width.
        report.printf(Locale.ROOT, "# GemmBench threads=%d species=%s copies=%d java=%s %s%n", threads, S, copies,
                System.getProperty("java.version"), VectorWidth.processChoice().describe());
        try (WorkerPool pool = new WorkerPool(threads)) {
            if (bandwidth) {
                bandwidth(pool, reps, report);
            }
            Random r = new Random(1);
            for (String shape : shapes.split(",")) {
                String[] kn = shape.split("x");
                int k = Integer.parseInt(kn[0]);
                int n = Integer.parseInt(kn[1]);
                float[] w = new float[n * k];
                for (int i = 0; i < w.length; i++) {
                    w[i] = (float) (r.nextGaussian() * 0.02);
                }
                int maxM = Arrays.stream(ms).max().orElse(1);
                float[] x = new float[maxM * k];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) r.nextGaussian();
                }
                float[] bias = new float[n];
                float[] out = new float[maxM * n];
                for (WeightFormat format : formats) {
                    try (Arena arena = Arena.ofShared()) {
                        long t0 = System.nanoTime();
                        PackedWeights[] copy = new PackedWeights[copies];
                        for (int c = 0; c < copies; c++) {
                            copy[c] = PackedWeights.pack(w, 0, n, k, format, arena, pool);
                        }
                        PackedWeights pw = copy[0];
                        double packMs = (System.nanoTime() - t0) / 1e6 / copies;
                        report.printf(Locale.ROOT, "# packed %s %dx%d in %.0f ms (%d bytes, %d copies)%n", format, n, k,
                                packMs, pw.byteSize(), copies);
                        for (int m : ms) {
                            long[] calls = new long[1];
                            long[] cpu0 = new long[1];
                            double[] sec = time(() -> {
                                Gemm.linear(pool, x, 0, m, copy[(int) (calls[0] % copy.length)], bias, Epilogue.NONE,
                                        null, out, 0);
                                calls[0]++;
                            }, () -> {
                                calls[0] = 0;
                                cpu0[0] = CPU.getCurrentThreadCpuTime();
                            }, reps, warmupMs, minMs);
                            double cpuPerCall = (CPU.getCurrentThreadCpuTime() - cpu0[0]) / 1e9 / calls[0];
                            long alloc0 = ALLOC.getCurrentThreadAllocatedBytes();
                            for (int i = 0; i < 20; i++) {
                                Gemm.linear(pool, x, 0, m, pw, bias, Epilogue.NONE, null, out, 0);
                            }
                            long allocPerCall = (ALLOC.getCurrentThreadAllocatedBytes() - alloc0) / 20;
                            double med = MemoryFloor.median(sec);
                            double best = Arrays.stream(sec).min().orElseThrow();
                            double flops = 2.0 * m * n * k;
                            report.printf(Locale.ROOT,
                                    "gemm fmt=%s m=%d k=%d n=%d ms=%.6f gflops=%.1f best_gflops=%.1f wgbps=%.1f spread=%.0f%%"
                                            + " caller_cpu_gflops=%.1f caller_alloc_bytes_per_call=%d%n",
                                    format.name().toLowerCase(Locale.ROOT), m, k, n, med * 1e3, flops / med / 1e9,
                                    flops / best / 1e9, pw.streamedBytes() / med / 1e9,
                                    100 * (Arrays.stream(sec).max().orElseThrow() - best) / best, flops / cpuPerCall / 1e9,
                                    allocPerCall);
                        }
                    }
                }
            }
            if (bandwidth) {
                bandwidth(pool, reps, report);
            }
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static int positive(String option, String value) {
        try {
            int v = Integer.parseInt(value.trim());
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " takes a whole number >= 1, got '" + value + "'");
    }

    /** Shapes as {@code KxN[,KxN...]}, each positive. */
    private static String checkShapes(String shapes) {
        for (String shape : shapes.split(",")) {
            String[] kn = shape.split("x");
            if (kn.length != 2) {
                throw new IllegalArgumentException("--shapes takes KxN[,KxN...], got '" + shape + "'");
            }
            long k = positive("--shapes (K)", kn[0]);
            long n = positive("--shapes (N)", kn[1]);
            if (k * n > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("--shapes: " + shape + " is too large for one weight matrix");
            }
        }
        return shapes;
    }

    /**
     * Seconds per call of each of {@code reps} batches, each batch lasting at least {@code minMs}, after
     * {@code warmupMs} of calls (the JIT needs them); {@code afterWarmup} runs between the two phases.
     */
    private static double[] time(Runnable body, Runnable afterWarmup, int reps, long warmupMs, long minMs) {
        long warm = System.nanoTime() + warmupMs * 1_000_000L;
        int calls = 0;
        do {
            body.run();
            calls++;
        } while (System.nanoTime() < warm || calls < 3);
        afterWarmup.run();
        double[] out = new double[reps];
        for (int rep = 0; rep < reps; rep++) {
            long start = System.nanoTime();
            long end = start + minMs * 1_000_000L;
            int c = 0;
            long now;
            do {
                body.run();
                c++;
                now = System.nanoTime();
            } while (now < end);
            out[rep] = (now - start) / 1e9 / c;
        }
        return out;
    }

    /** Streaming read of a 1 GiB off-heap buffer split over the pool (see {@link MemoryFloor}). */
    private static void bandwidth(WorkerPool pool, int reps, java.io.PrintStream report) {
        long bytes = 1L << 30;
        double[] sec = MemoryFloor.streamingReadSeconds(pool, bytes, Math.max(reps, 3));
        long read = MemoryFloor.bytesPerPass(bytes);
        report.printf(Locale.ROOT, "bandwidth gbps=%.1f best_gbps=%.1f (streaming read, %d threads)%n",
                read / MemoryFloor.median(sec) / 1e9, read / Arrays.stream(sec).min().orElseThrow() / 1e9,
                pool.parallelism());
    }
}
