package dev.m2m100.engine.backend.cuda;

import dev.m2m100.engine.backend.WeightRole;
import dev.m2m100.engine.backend.RawMatrix;
import static dev.m2m100.engine.backend.cuda.GpuAssert.close;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Random;

import dev.m2m100.engine.backend.Backend;
import dev.m2m100.engine.backend.ElementType;
import dev.m2m100.engine.backend.Epilogue;
import dev.m2m100.engine.backend.KvCache;
import dev.m2m100.engine.backend.Tensor;
import dev.m2m100.engine.backend.WeightMatrix;
import dev.m2m100.engine.backend.WeightVector;
import dev.m2m100.engine.backend.cpu.CpuBackend;
import dev.m2m100.engine.generation.LogitRule;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every {@link Backend} operation of the CUDA backend against the CPU backend on the same random inputs, in three
 * modes: fp32 (to float rounding), fp16 weights with fp32 activations, and fp16 weights with fp16 activations and
 * KV caches (the last two to fp16 tolerance). Activation-typed inputs and outputs are allocated as the backend's
 * {@link Backend#activationType()}, exactly as the model does.
 */
@Tag("gpu")
class CudaBackendVsCpuGpuTest {

    /** A CUDA backend configuration under test. */
    enum Mode {
        FP32(Precision.FP32, ElementType.F32),
        FP16_WEIGHTS(Precision.FP16, ElementType.F32),
        FP16_ACTIVATIONS(Precision.FP16, ElementType.F16);

        final Precision weights;
        final ElementType activations;

        Mode(Precision weights, ElementType activations) {
            this.weights = weights;
            this.activations = activations;
        }
    }

    private static CpuBackend cpu;
    private static final EnumMap<Mode, CudaBackend> gpus = new EnumMap<>(Mode.class);

    @BeforeAll
    static void open() {
        CudaAvailability a = CudaAvailability.probe(0);
        if (!a.available()) {
            System.out.println("SKIPPING CudaBackendVsCpuGpuTest (GPU tests): " + a.reason());
            return;
        }
        cpu = new CpuBackend(1);
        for (Mode m : Mode.values()) {
            gpus.put(m, CudaBackend.open(0, m.weights, m.activations, true));
        }
        CudaBackend first = gpus.get(Mode.FP32);
        System.out.println("CudaBackendVsCpuGpuTest on " + first.device().context());
        first.device().modules().loadLog().forEach(l -> System.out.println("  " + l));
    }

    @AfterAll
    static void closeAll() {
        List<Cleanup.Step> steps = new ArrayList<>();
        steps.add(Cleanup.closing(cpu));
        gpus.values().forEach(g -> steps.add(Cleanup.closing(g)));
        gpus.clear();
        Cleanup.all(steps);
    }

    @BeforeEach
    void requireDevice() {
        if (gpus.isEmpty()) {
            org.junit.jupiter.api.Assumptions.abort("no usable CUDA device: " + CudaAvailability.probe(0).reason());
        }
    }

    private static CudaBackend gpu(Mode m) {
        return gpus.get(m);
    }

    private static double tol(Mode m) {
        return m == Mode.FP32 ? 1e-5 : 1e-2;
    }

    private static float[] random(Random r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        return v;
    }

    private static double[] widen(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /** The same host values as an F32 tensor of backend b (exactly, whatever the weight precision). */
    private static Tensor tensor(Backend b, float[] values, int rows, int cols) {
        return tensor(b, values, rows, cols, ElementType.F32);
    }

    /** An activation-typed tensor holding the values (rounded to fp16 in an F16 tensor). */
    private static Tensor activations(Backend b, float[] values, int rows, int cols) {
        return tensor(b, values, rows, cols, b.activationType());
    }

    private static Tensor tensor(Backend b, float[] values, int rows, int cols, ElementType type) {
        Tensor t = b.allocate(rows, cols, type);
        if (b instanceof CudaBackend g) {
            g.upload(t, values);
            return t;
        }
        // The Backend interface has no tensor upload: on the (fp32) CPU backend an embedding of row ids over
        // a table holding the values, scale 1, zero positions, reproduces them exactly.
        WeightMatrix table = linear(b, values.length == 0 ? new float[cols] : values, Math.max(rows, 1), cols);
        WeightMatrix zero = linear(b, new float[cols], 1, cols);
        int[] ids = new int[rows];
        for (int i = 0; i < rows; i++) {
            ids[i] = i;
        }
        b.embed(table, ids, 1f, zero, new int[rows], t);
        return t;
    }

    private static WeightMatrix linear(Backend b, float[] values, int rows, int cols) {
        return b.upload(WeightRole.LINEAR, RawMatrix.of(values, rows, cols));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void linearWithEveryEpilogue(Mode p) {
        Random r = new Random(21);
        int rows = 9;
        int in = 96;
        int out = 130;
        float[] x = random(r, rows * in, 1.0);
        float[] w = random(r, out * in, 0.2);
        float[] bias = random(r, out, 0.1);
        float[] res = random(r, rows * out, 1.0);
        for (Epilogue e : Epilogue.values()) {
            for (boolean withBias : new boolean[] {true, false}) {
                float[] want = run(cpu, x, w, withBias ? bias : null, res, e, rows, in, out);
                float[] got = run(gpu(p), x, w, withBias ? bias : null, res, e, rows, in, out);
                close(widen(want), got, tol(p), tol(p), "linear " + e + (withBias ? " +bias " : " ") + p);
            }
        }
    }

    private static float[] run(Backend b, float[] x, float[] w, float[] bias, float[] res, Epilogue e, int rows,
                               int in, int out) {
        ElementType outType = e == Epilogue.RESIDUAL ? ElementType.F32 : b.activationType();
        try (Tensor xt = activations(b, x, rows, in); Tensor o = tensor(b, res, rows, out, outType)) {
            WeightVector bv = bias == null ? null : b.vector(bias);
            b.linear(xt, linear(b, w, out, in), bv, e, o);
            return b.download(o);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void layerNormInPlaceAndOutOfPlace(Mode p) {
        Random r = new Random(22);
        int rows = 5;
        int d = 200;
        float[] x = random(r, rows * d, 3.0);
        float[] g = random(r, d, 1.0);
        float[] bb = random(r, d, 1.0);
        float[] want;
        try (Tensor t = tensor(cpu, x, rows, d)) {
            cpu.layerNorm(t, cpu.vector(g), cpu.vector(bb), 1e-5f, t);
            want = cpu.download(t);
        }
        CudaBackend b = gpu(p);
        try (Tensor t = tensor(b, x, rows, d); Tensor o = b.allocate(rows, d, b.activationType())) {
            b.layerNorm(t, b.vector(g), b.vector(bb), 1e-5f, o);
            close(widen(want), b.download(o), tol(p), tol(p), "layerNorm " + p);
            b.layerNorm(t, b.vector(g), b.vector(bb), 1e-5f, t);
            close(widen(want), b.download(t), tol(p), tol(p), "layerNorm in place " + p);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void encoderSelfAttentionOverPackedSequences(Mode p) {
        Random r = new Random(23);
        int heads = 4;
        int width = 64;
        int[] seqStarts = {0, 7, 8, 21};
        int rows = 21;
        float[] qkv = random(r, rows * 3 * width, 1.0);
        float[] want;
        try (Tensor t = tensor(cpu, qkv, rows, 3 * width); Tensor o = cpu.allocate(rows, width)) {
            cpu.selfAttention(t, seqStarts, heads, 0.25f, o);
            want = cpu.download(o);
        }
        CudaBackend b = gpu(p);
        try (Tensor t = activations(b, qkv, rows, 3 * width); Tensor o = b.allocate(rows, width, b.activationType())) {
            b.selfAttention(t, seqStarts, heads, 0.25f, o);
            close(widen(want), b.download(o), tol(p), tol(p), "selfAttention " + p);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void decoderStepsCrossAttentionAndBeamCopies(Mode p) {
        Random r = new Random(24);
        int layers = 2;
        int heads = 2;
        int width = 32;
        CudaBackend g = gpu(p);
        try (KvCache cs = cpu.kvCache(layers, width, 40, 2); KvCache gs = g.kvCache(layers, width, 40, 2);
             KvCache cx = cpu.kvCache(layers, width, 40, 1); KvCache gx = g.kvCache(layers, width, 40, 1)) {
            // Cross K/V for two sources of lengths 5 and 11, stored in slots 3 and 0 of layer 1.
            int[] srcStarts = {0, 5, 16};
            float[] kv = random(r, 16 * 2 * width, 1.0);
            try (Tensor a = tensor(cpu, kv, 16, 2 * width); Tensor b = activations(g, kv, 16, 2 * width)) {
                cpu.storeKv(a, srcStarts, cx, 1, new int[] {3, 0});
                g.storeKv(b, srcStarts, gx, 1, new int[] {3, 0});
            }
            // Five decoder steps over rows in slots {0, 4, 1} (slot 4 forces the cache to grow), then copies.
            int[] slots = {0, 4, 1};
            for (int step = 0; step < 5; step++) {
                for (int layer = 0; layer < layers; layer++) {
                    float[] qkv = random(r, 3 * 3 * width, 1.0);
                    int[] positions = {step, step, step};
                    float[] want;
                    try (Tensor a = tensor(cpu, qkv, 3, 3 * width); Tensor o = cpu.allocate(3, width)) {
                        cpu.cachedSelfAttention(a, cs, layer, slots, positions, heads, 0.25f, o);
                        want = cpu.download(o);
                    }
                    try (Tensor a = activations(g, qkv, 3, 3 * width);
                         Tensor o = g.allocate(3, width, g.activationType())) {
                        g.cachedSelfAttention(a, gs, layer, slots, positions, heads, 0.25f, o);
                        close(widen(want), g.download(o), tol(p), tol(p),
                                "cachedSelfAttention step " + step + " layer " + layer + " " + p);
                    }
                }
            }
            // A swap (every slot read and written) and a plain copy, then attend over the results.
            cpu.copyKv(cs, new int[] {0, 4, 1}, new int[] {4, 0, 7}, new int[] {5, 5, 3});
            g.copyKv(gs, new int[] {0, 4, 1}, new int[] {4, 0, 7}, new int[] {5, 5, 3});
            float[] q = random(r, 4 * width, 1.0);
            int[] after = {4, 0, 7, 1};
            int[] lengths = {5, 5, 3, 5};
            for (int layer = 0; layer < layers; layer++) {
                float[] want = selfOver(cpu, cs, q, after, lengths, layer, heads, width);
                float[] got = selfOver(g, gs, q, after, lengths, layer, heads, width);
                close(widen(want), got, tol(p), tol(p), "after copyKv layer " + layer + " " + p);
            }
            // Cross-attention: three rows on source slots 3, 0, 0 with their lengths.
            float[] cq = random(r, 3 * width, 1.0);
            float[] want;
            try (Tensor a = tensor(cpu, cq, 3, width); Tensor o = cpu.allocate(3, width)) {
                cpu.crossAttention(a, cx, 1, new int[] {3, 0, 0}, new int[] {5, 11, 11}, heads, 0.25f, o);
                want = cpu.download(o);
            }
            try (Tensor a = activations(g, cq, 3, width); Tensor o = g.allocate(3, width, g.activationType())) {
                g.crossAttention(a, gx, 1, new int[] {3, 0, 0}, new int[] {5, 11, 11}, heads, 0.25f, o);
                close(widen(want), g.download(o), tol(p), tol(p), "crossAttention " + p);
            }
        }
    }

    /** Reads a cache through attention: a query per slot over its first lengths[i] positions (keys unchanged). */
    private static float[] selfOver(Backend b, KvCache cache, float[] q, int[] slots, int[] lengths, int layer,
                                    int heads, int width) {
        int rows = slots.length;
        float[] wide = new float[rows * width];
        // Use cross-attention (read-only) so that reading does not write a new position.
        try (Tensor t = activations(b, q, rows, width); Tensor o = b.allocate(rows, width, b.activationType())) {
            b.crossAttention(t, cache, layer, slots, lengths, heads, 0.25f, o);
            System.arraycopy(b.download(o), 0, wide, 0, wide.length);
        }
        return wide;
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void embeddingAndTopKWithRules(Mode p) {
        Random r = new Random(25);
        int vocab = 4101;
        int d = 64;
        float[] table = random(r, vocab * d, 0.3);
        float[] positions = random(r, 30 * d, 1.0);
        int[] ids = {5, 4100, 2, 2, 17};
        int[] pos = {2, 3, 4, 1, 29};
        CudaBackend g = gpu(p);
        float[] want;
        try (Tensor o = cpu.allocate(5, d)) {
            cpu.embed(linear(cpu, table, vocab, d), ids, 8f, linear(cpu, positions, 30, d), pos, o);
            want = cpu.download(o);
        }
        try (Tensor o = g.allocate(5, d)) {
            g.embed(linear(g, table, vocab, d), ids, 8f, linear(g, positions, 30, d), pos, o);
            close(widen(want), g.download(o), tol(p), p == Mode.FP32 ? 0 : 2e-3, "embed " + p);
        }
        float[] logits = random(r, 4 * vocab, 5.0);
        LogitRule[] rules = {LogitRule.NONE, LogitRule.force(4035), LogitRule.ban(2), null};
        int k = 10;
        float[] lpC = new float[4 * k];
        int[] idC = new int[4 * k];
        float[] lpG = new float[4 * k];
        int[] idG = new int[4 * k];
        try (Tensor t = tensor(cpu, logits, 4, vocab)) {
            cpu.logSoftmaxTopK(t, rules, k, lpC, idC);
        }
        try (Tensor t = tensor(g, logits, 4, vocab)) {
            g.logSoftmaxTopK(t, rules, k, lpG, idG);
        }
        // Logits are fp32 in every mode, so ids must agree exactly.
        assertArrayEquals(idC, idG, "top-k ids " + p);
        close(widen(lpC), lpG, 1e-5, 1e-6, "top-k log-probs " + p);
        assertEquals(4035, idG[k]);
        assertEquals(0f, lpG[k]);
    }
}
