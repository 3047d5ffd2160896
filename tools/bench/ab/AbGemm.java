import java.lang.foreign.Arena;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Same-process A/B of two builds of the CPU GEMM: each build's m2m100-jvm jar is loaded by its own class loader
 * (so each has its own Gemm, compiled on its own), both pack the same weights, and calls alternate in blocks of
 * 0.3 s, A first in even rounds and B first in odd ones. Between processes these hosts vary by 10-30 %; inside
 * one process both builds see the same machine state, so the per-round ratio B/A is what this reports. Run the
 * same jar as A and B first for the shape in question: the builds share the JDK's vector classes and their
 * profiles, and for the 256-bit bf16 GEMV (m = 5) that alone gave B/A 1.23 (f32 m = 64: 0.998, bf16 m = 64: 1.013).
 * Run with tools/bench/ab-gemm.sh (a bench script, outside the engine: the reflection here stays here).
 */
public final class AbGemm {
    private record Impl(Object pool, Object weights, Method linear, Object none) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 7) {
            System.err.println("usage: AbGemm JAR_A JAR_B K N M FORMAT ROUNDS [THREADS]");
            System.exit(2);
        }
        int k = Integer.parseInt(args[2]);
        int n = Integer.parseInt(args[3]);
        int m = Integer.parseInt(args[4]);
        String format = args[5].toUpperCase(Locale.ROOT);
        int rounds = Integer.parseInt(args[6]);
        int threads = args.length > 7 ? Integer.parseInt(args[7]) : 2;
        Random r = new Random(1);
        float[] w = new float[n * k];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() * 0.02);
        }
        float[] x = new float[m * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] bias = new float[n];
        float[] out = new float[m * n];
        Arena arena = Arena.ofShared();
        Impl a = load(args[0], w, n, k, format, threads, arena);
        Impl b = load(args[1], w, n, k, format, threads, arena);
        double flops = 2.0 * m * n * k;
        secondsPerCall(a, x, m, bias, out, 2_000_000_000L); // JIT warm-up
        secondsPerCall(b, x, m, bias, out, 2_000_000_000L);
        List<Double> ga = new ArrayList<>();
        List<Double> gb = new ArrayList<>();
        List<Double> ratio = new ArrayList<>();
        long block = 300_000_000L;
        for (int i = 0; i < rounds; i++) {
            double sa;
            double sb;
            if (i % 2 == 0) {
                sa = secondsPerCall(a, x, m, bias, out, block);
                sb = secondsPerCall(b, x, m, bias, out, block);
            } else {
                sb = secondsPerCall(b, x, m, bias, out, block);
                sa = secondsPerCall(a, x, m, bias, out, block);
            }
            ga.add(flops / sa / 1e9);
            gb.add(flops / sb / 1e9);
            ratio.add(sa / sb);
        }
        System.out.printf(Locale.ROOT, "ab fmt=%s m=%d k=%d n=%d threads=%d rounds=%d: A %.1f B %.1f GFLOP/s (medians),"
                        + " B/A median %.3f (quartiles %.3f-%.3f)%n", format.toLowerCase(Locale.ROOT), m, k, n, threads,
                rounds, quantile(ga, 0.5), quantile(gb, 0.5), quantile(ratio, 0.5), quantile(ratio, 0.25),
                quantile(ratio, 0.75));
        System.exit(0); // the pools' worker threads
    }

    private static Impl load(String jar, float[] w, int n, int k, String format, int threads, Arena arena)
            throws Exception {
        ClassLoader loader = new URLClassLoader(new URL[] {Path.of(jar).toUri().toURL()}, AbGemm.class.getClassLoader());
        String pkg = "dev.m2m100.engine.backend.cpu.gemm.";
        Class<?> poolClass = Class.forName(pkg + "WorkerPool", true, loader);
        Class<?> packedClass = Class.forName(pkg + "PackedWeights", true, loader);
        Class<?> formatClass = Class.forName(pkg + "WeightFormat", true, loader);
        Class<?> epilogueClass = Class.forName(pkg + "Epilogue", true, loader);
        Class<?> gemmClass = Class.forName(pkg + "Gemm", true, loader);
        Object pool = poolClass.getConstructor(int.class).newInstance(threads);
        Object fmt = formatClass.getMethod("valueOf", String.class).invoke(null, format);
        Object none = epilogueClass.getMethod("valueOf", String.class).invoke(null, "NONE");
        Object weights = packedClass.getMethod("pack", float[].class, int.class, int.class, int.class, formatClass,
                Arena.class, poolClass).invoke(null, w, 0, n, k, fmt, arena, pool);
        Method linear = gemmClass.getMethod("linear", poolClass, float[].class, int.class, int.class, packedClass,
                float[].class, epilogueClass, float[].class, float[].class, int.class);
        return new Impl(pool, weights, linear, none);
    }

    /** Seconds per call over a block of about {@code nanos}. */
    private static double secondsPerCall(Impl impl, float[] x, int m, float[] bias, float[] out, long nanos)
            throws Exception {
        long t0 = System.nanoTime();
        long t;
        long calls = 0;
        do {
            impl.linear().invoke(null, impl.pool(), x, 0, m, impl.weights(), bias, impl.none(), null, out, 0);
            calls++;
            t = System.nanoTime();
        } while (t - t0 < nanos);
        return (t - t0) / 1e9 / calls;
    }

    private static double quantile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get((int) Math.round(p * (sorted.size() - 1)));
    }
}
