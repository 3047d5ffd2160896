package dev.m2m100.engine.backend.cuda;

import static dev.m2m100.engine.backend.cuda.GpuAssert.close;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import dev.m2m100.engine.backend.ElementType;
import dev.m2m100.engine.backend.RawMatrix;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every kernel against a plain Java (double precision) reference on random inputs. Tolerances: fp32
 * storage ≈ float rounding; fp16 storage ≈ one fp16 rounding of inputs and outputs (relative 2^-10).
 */
@Tag("gpu")
class CudaKernelsGpuTest {

    private static CudaTestDevice dev;

    @BeforeAll
    static void open() {
        dev = CudaTestDevice.tryOpen("CudaKernelsGpuTest");
    }

    @BeforeEach
    void requireDevice() {
        CudaTestDevice.assumeOpened(dev);
    }

    @AfterAll
    static void closeDevice() {
        if (dev != null) {
            dev.close();
        }
    }

    private static float[] random(Random r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        return v;
    }

    private static double outTol(Precision p) {
        return p == Precision.FP32 ? 2e-6 : 1.5e-3;
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void embeddingScalesAndAddsPositionRows(Precision p) {
        Random r = new Random(1);
        int vocab = 300;
        int d = 64;
        int posRows = 50;
        int tokens = 40;
        float[] table = CudaTestDevice.stored(p, random(r, vocab * d, 0.3));
        float[] posTable = CudaTestDevice.stored(p, random(r, posRows * d, 1.0));
        int[] ids = new int[tokens];
        int[] pos = new int[tokens];
        for (int t = 0; t < tokens; t++) {
            ids[t] = r.nextInt(vocab);
            pos[t] = r.nextInt(posRows);
        }
        ids[3] = vocab;    // out of range: NaN row, no out-of-bounds read
        DeviceBuffer out = dev.pool.allocate(4L * tokens * d, "embed out");
        dev.kernels.embed(p, dev.upload(ids, "ids"), dev.upload(pos, "pos"), dev.upload(p, table, "table"), vocab, d,
                8.0f, dev.upload(p, posTable, "positions"), posRows, out, tokens);
        float[] got = dev.downloadFloats(out, tokens * d);
        double[] want = new double[tokens * d];
        for (int t = 0; t < tokens; t++) {
            for (int c = 0; c < d; c++) {
                want[t * d + c] = t == 3 ? Double.NaN : table[ids[t] * d + c] * 8.0f + posTable[pos[t] * d + c];
            }
        }
        for (int c = 0; c < d; c++) {
            assertTrue(Float.isNaN(got[3 * d + c]));
            got[3 * d + c] = 0;
            want[3 * d + c] = 0;
        }
        close(want, got, 0, 0, "embed_" + p.suffix());
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void layerNormMatchesTheDefinition(Precision p) {
        Random r = new Random(2);
        for (int d : new int[] {64, 1024, 1000}) {
            int rows = 9;
            float[] x = random(r, rows * d, 2.0);
            for (int i = 0; i < x.length; i++) {
                x[i] += 3.0f;    // a mean far from zero tests the two-pass variance
            }
            float[] g = random(r, d, 0.25);
            float[] b = random(r, d, 0.1);
            for (int i = 0; i < d; i++) {
                g[i] += 1;
            }
            DeviceBuffer y = dev.pool.allocate((long) rows * d * p.bytes(), "ln y");
            dev.kernels.layerNorm(p, dev.upload(x, "x"), dev.upload(g, "g"), dev.upload(b, "b"), y, rows, d, 1e-5f);
            close(layerNorm(x, g, b, rows, d), dev.download(p, y, rows * d), 2e-5, outTol(p), "layernorm d=" + d);
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void residualLayerNormUpdatesTheStreamThenNormalises(Precision p) {
        Random r = new Random(3);
        int rows = 5;
        int d = 256;
        float[] x = random(r, rows * d, 1.0);
        float[] delta = random(r, rows * d, 1.0);
        float[] bias = CudaTestDevice.stored(p, random(r, d, 0.1));
        float[] g = random(r, d, 1.0);
        float[] b = random(r, d, 1.0);
        DeviceBuffer xd = dev.upload(x, "x");
        DeviceBuffer y = dev.pool.allocate((long) rows * d * p.bytes(), "y");
        dev.kernels.residualLayerNorm(p, xd, dev.upload(delta, "delta"), dev.upload(p, bias, "bias"),
                dev.upload(g, "g"), dev.upload(b, "b"), y, rows, d, 1e-5f);
        float[] sum = new float[rows * d];
        double[] sumD = new double[rows * d];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = x[i] + (delta[i] + bias[i % d]);
            sumD[i] = sum[i];
        }
        close(sumD, dev.downloadFloats(xd, rows * d), 0, 0, "residual stream");
        close(layerNorm(sum, g, b, rows, d), dev.download(p, y, rows * d), 2e-5, outTol(p), "residual_layernorm");
    }

    private static double[] layerNorm(float[] x, float[] g, float[] b, int rows, int d) {
        double[] out = new double[rows * d];
        for (int row = 0; row < rows; row++) {
            double mean = 0;
            for (int c = 0; c < d; c++) {
                mean += x[row * d + c];
            }
            mean /= d;
            double var = 0;
            for (int c = 0; c < d; c++) {
                double t = x[row * d + c] - mean;
                var += t * t;
            }
            var /= d;
            double inv = 1 / Math.sqrt(var + 1e-5);
            for (int c = 0; c < d; c++) {
                out[row * d + c] = (x[row * d + c] - mean) * inv * g[c] + b[c];
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void weightUploadConvertsAcrossChunkBoundaries(Precision p) {
        int n = WeightUploader.CHUNK_ELEMENTS + 5;
        float[] values = random(new Random(12), n, 1.0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(4L * n);
            MemorySegment.copy(values, 0, seg,
                    ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, n);
            RawMatrix raw = new RawMatrix(seg, ElementType.F32, 1, n);
            DeviceBuffer dst = dev.pool.allocate(WeightUploader.deviceBytes(p, raw), "w");
            WeightUploader.upload(p, dst, raw);
            assertArrayEquals(CudaTestDevice.stored(p, values), dev.download(p, dst, n));
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void attentionOverPaddedSequencesAndCaches(Precision p) {
        Random r = new Random(6);
        for (int[] shape : new int[][] {{4, 16, 9}, {16, 64, 300}, {2, 128, 1024}}) {
            int heads = shape[0];
            int hd = shape[1];
            int maxLen = shape[2];
            int width = heads * hd;
            int seqs = 3;
            int queries = 11;
            int[] kvSeq = new int[queries];
            int[] kvLen = new int[queries];
            for (int i = 0; i < queries; i++) {
                kvSeq[i] = r.nextInt(seqs);
                kvLen[i] = i == 0 ? maxLen : i == 1 ? 1 : 1 + r.nextInt(maxLen);
            }
            kvLen[2] = 0;    // an empty row gives zeros
            float[] q = CudaTestDevice.stored(p, random(r, queries * width, 1.0));
            float[] k = CudaTestDevice.stored(p, random(r, seqs * maxLen * width, 1.0));
            float[] v = CudaTestDevice.stored(p, random(r, seqs * maxLen * width, 1.0));
            DeviceBuffer out = dev.pool.allocate((long) queries * width * p.bytes(), "attn out");
            float scale = (float) (1 / Math.sqrt(hd));
            AttentionLayout layout = AttentionLayout.dense(heads, hd, maxLen);
            dev.kernels.attention(p, dev.upload(p, q, "q"), dev.upload(p, k, "k"), dev.upload(p, v, "v"),
                    dev.upload(kvSeq, "kvSeq"), dev.upload(kvLen, "kvLen"), out, queries,
                    layout.extent(kvSeq, kvLen), maxLen, layout, scale);
            double[] want = new double[queries * width];
            for (int i = 0; i < queries; i++) {
                for (int h = 0; h < heads; h++) {
                    int len = kvLen[i];
                    if (len == 0) {
                        continue;
                    }
                    double[] s = new double[len];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < len; j++) {
                        double dot = 0;
                        for (int c = 0; c < hd; c++) {
                            dot += (double) (q[i * width + h * hd + c] * scale)
                                    * k[(kvSeq[i] * maxLen + j) * width + h * hd + c];
                        }
                        s[j] = dot;
                        max = Math.max(max, dot);
                    }
                    double sum = 0;
                    for (int j = 0; j < len; j++) {
                        s[j] = Math.exp(s[j] - max);
                        sum += s[j];
                    }
                    for (int c = 0; c < hd; c++) {
                        double acc = 0;
                        for (int j = 0; j < len; j++) {
                            acc += s[j] * v[(kvSeq[i] * maxLen + j) * width + h * hd + c];
                        }
                        want[i * width + h * hd + c] = acc / sum;
                    }
                }
            }
            close(want, dev.download(p, out, queries * width), p == Precision.FP32 ? 2e-5 : 2e-3, outTol(p),
                    "attention heads=" + heads + " hd=" + hd + " maxLen=" + maxLen);
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void kvScatterAndBeamCopy(Precision p) {
        Random r = new Random(7);
        int width = 96;
        int maxLen = 12;
        int seqs = 6;
        int planes = 4;
        float[] cache = CudaTestDevice.stored(p, random(r, planes * seqs * maxLen * width, 1.0));
        DeviceBuffer src = dev.upload(p, cache, "cache");
        // Scatter three new rows into plane 0.
        float[] rows = CudaTestDevice.stored(p, random(r, 3 * width, 1.0));
        int[] dstSeq = {4, 0, 2};
        int[] dstPos = {11, 0, 5};
        dev.kernels.scatterRows(p, dev.upload(p, rows, "rows"), width, src, (long) maxLen * width, width,
                dev.upload(dstSeq, "seq"), dev.upload(dstPos, "pos"), 3, width, seqs, maxLen);
        float[] expected = cache.clone();
        for (int i = 0; i < 3; i++) {
            System.arraycopy(rows, i * width, expected, (dstSeq[i] * maxLen + dstPos[i]) * width, width);
        }
        assertArrayEquals(expected, dev.download(p, src, expected.length), "scatter_rows");

        // Beam reorder: 1 -> 3, 3 -> 1 (a swap, through a separate destination), 5 -> 0, in every plane.
        DeviceBuffer dst = dev.upload(p, expected, "cache copy");
        int[] from = {1, 3, 5};
        int[] to = {3, 1, 0};
        int[] len = {7, 12, 1};
        long planeStride = (long) seqs * maxLen * width;
        CacheLayout layout = new CacheLayout(seqs, planes, (long) maxLen * width, planeStride, width, maxLen);
        dev.kernels.copyCacheRows(p, src, layout, dst, layout, dev.upload(from, "from"), dev.upload(to, "to"),
                dev.upload(len, "len"), 3, width);
        float[] want = expected.clone();
        for (int pl = 0; pl < planes; pl++) {
            for (int i = 0; i < 3; i++) {
                int s = (int) (pl * planeStride + (long) from[i] * maxLen * width);
                int d = (int) (pl * planeStride + (long) to[i] * maxLen * width);
                System.arraycopy(expected, s, want, d, len[i] * width);
            }
        }
        assertArrayEquals(want, dev.download(p, dst, want.length), "copy_cache_rows");
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void cacheGrowthCopiesEveryPlaneIntoTheLargerLayout(Precision p) {
        int layers = 3;
        int width = 40;
        CacheLayout small = CudaKvCache.layoutOf(layers, width, 3, 5);
        CacheLayout grown = CudaKvCache.layoutOf(layers, width, 7, 12);
        float[] old = CudaTestDevice.stored(p, random(new Random(13), (int) small.extent(width), 1.0));
        float[] fresh = CudaTestDevice.stored(p, random(new Random(14), (int) grown.extent(width), 1.0));
        DeviceBuffer dst = dev.upload(p, fresh, "grown cache");
        int[] ids = {0, 1, 2};
        int[] len = {5, 5, 5};
        DeviceBuffer idBuf = dev.upload(ids, "ids");
        dev.kernels.copyCacheRows(p, dev.upload(p, old, "cache"), small, dst, grown, idBuf, idBuf,
                dev.upload(len, "len"), 3, width);
        float[] want = CacheLayoutTest.copyLikeTheKernel(old, small, fresh.clone(), grown, ids, ids, len, width);
        assertArrayEquals(want, dev.download(p, dst, want.length), "copy_cache_rows into a grown layout");
    }

    @Test
    void logSoftmaxTopKOverTheFullVocabularyWithRules() {
        Random r = new Random(8);
        int vocab = 128_112;
        int rows = 6;
        int k = 10;
        float[] logits = new float[rows * vocab];
        for (int row = 0; row < rows; row++) {
            // Distinct values 1e-3 apart (no accidental ties), shuffled.
            int[] perm = permutation(r, vocab);
            for (int i = 0; i < vocab; i++) {
                logits[row * vocab + i] = (perm[i] - vocab / 2) * 1e-3f * (row + 1) / 3f;
            }
        }
        // Row 4: exact ties at the top, which must come out by ascending id.
        float top = 1000f;
        for (int id : new int[] {90_000, 17, 4_000, 127_999}) {
            logits[4 * vocab + id] = top;
        }
        int[] force = {-1, 4035, -1, -1, -1, -1};
        int[] ban = {-1, -1, argmax(logits, 2, vocab), -1, -1, 2};
        DeviceBuffer outLp = dev.pool.allocate(4L * rows * k, "lp");
        DeviceBuffer outIds = dev.pool.allocate(4L * rows * k, "ids");
        dev.kernels.logSoftmaxTopK(dev.upload(logits, "logits"), rows, vocab, dev.upload(force, "force"),
                dev.upload(ban, "ban"), k, outLp, outIds);
        float[] lp = dev.downloadFloats(outLp, rows * k);
        int[] ids = dev.downloadInts(outIds, rows * k);
        for (int row = 0; row < rows; row++) {
            List<double[]> ref = referenceTopK(logits, row, vocab, force[row], ban[row], k);
            for (int j = 0; j < k; j++) {
                assertEquals((int) ref.get(j)[1], ids[row * k + j], "row " + row + " rank " + j);
                double want = ref.get(j)[0];
                if (Double.isInfinite(want)) {
                    assertEquals(Float.NEGATIVE_INFINITY, lp[row * k + j], "row " + row + " rank " + j);
                } else {
                    assertEquals(want, lp[row * k + j], 2e-5, "row " + row + " rank " + j);
                }
            }
        }
        assertEquals(4035, ids[k]);
        assertEquals(0f, lp[k]);
        assertEquals(0, ids[k + 1], "after the forced token come -inf entries by ascending id");
        assertArrayEquals(new int[] {17, 4_000, 90_000, 127_999}, java.util.Arrays.copyOfRange(ids, 4 * k, 4 * k + 4));
    }

    @Test
    void topKOfThirtyTwoAndOfOne() {
        Random r = new Random(9);
        int vocab = 5000;
        float[] logits = new float[2 * vocab];
        int[] perm = permutation(r, 2 * vocab);
        for (int i = 0; i < logits.length; i++) {
            logits[i] = perm[i] * 1e-3f;
        }
        for (int k : new int[] {1, 32}) {
            DeviceBuffer outLp = dev.pool.allocate(8L * k, "lp");
            DeviceBuffer outIds = dev.pool.allocate(8L * k, "ids");
            dev.kernels.logSoftmaxTopK(dev.upload(logits, "logits"), 2, vocab, null, null, k, outLp, outIds);
            int[] ids = dev.downloadInts(outIds, 2 * k);
            for (int row = 0; row < 2; row++) {
                List<double[]> ref = referenceTopK(logits, row, vocab, -1, -1, k);
                for (int j = 0; j < k; j++) {
                    assertEquals((int) ref.get(j)[1], ids[row * k + j], "k=" + k + " row " + row + " rank " + j);
                }
            }
        }
    }

    private static int argmax(float[] logits, int row, int vocab) {
        int best = 0;
        for (int i = 1; i < vocab; i++) {
            if (logits[row * vocab + i] > logits[row * vocab + best]) {
                best = i;
            }
        }
        return best;
    }

    private static int[] permutation(Random r, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** (logprob, id) pairs, best first: log-softmax in double, then the rule, then (value desc, id asc). */
    private static List<double[]> referenceTopK(float[] logits, int row, int vocab, int force, int ban, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            max = Math.max(max, logits[row * vocab + i]);
        }
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            sum += Math.exp(logits[row * vocab + i] - max);
        }
        double lse = max + Math.log(sum);
        List<double[]> all = new ArrayList<>(vocab);
        for (int i = 0; i < vocab; i++) {
            double v;
            if (force >= 0) {
                v = i == force ? 0 : Double.NEGATIVE_INFINITY;
            } else if (i == ban) {
                v = Double.NEGATIVE_INFINITY;
            } else {
                v = logits[row * vocab + i] - lse;
            }
            all.add(new double[] {v, i});
        }
        all.sort(Comparator.<double[]>comparingDouble(e -> -e[0]).thenComparingDouble(e -> e[1]));
        return all.subList(0, k);
    }
}
