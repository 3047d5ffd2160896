package dev.m2m100.tools.randommodel;

import dev.m2m100.engine.safetensors.SafetensorsWriter;
import dev.m2m100.engine.safetensors.SafetensorsWriter.Dtype;
import dev.m2m100.tools.convert.FloatFormats;
import dev.m2m100.tools.randommodel.M2M100Layout.Entry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Seeded pseudo-random tensor contents, generated in fixed-size chunks on a worker pool and handed to the
 * safetensors writer in order. Each chunk has its own seed (from the model seed, the tensor name and the
 * chunk index), so the bytes do not depend on the number of threads.
 */
public final class RandomTensors {

    static final float WEIGHT_STD = 0.02f;
    static final float BIAS_STD = 0.002f;
    static final int PAD_ROW = 1;

    private static final int CHUNK_ELEMENTS = 1 << 20;
    /** Irwin–Hall(4) of 16-bit uniforms: mean 2·32767.5, standard deviation 65536/√3. */
    private static final float IH_MEAN = 4 * 32767.5f;
    private static final float IH_INV_STD = (float) (Math.sqrt(3.0) / 65536.0);

    private final ExecutorService pool;
    private final int window;
    private final long seed;
    private final Dtype dtype;
    private final int dModel;

    public RandomTensors(ExecutorService pool, int threads, long seed, Dtype dtype, int dModel) {
        if (dtype == Dtype.I8) {
            throw new IllegalArgumentException("random-model writes f32, f16 or bf16, not i8");
        }
        this.pool = pool;
        this.window = Math.max(2, 2 * threads);
        this.seed = seed;
        this.dtype = dtype;
        this.dModel = dModel;
    }

    public SafetensorsWriter.Tensor tensor(Entry e) {
        return new SafetensorsWriter.Tensor(e.name(), dtype, e.shape(), sink -> fill(e, sink));
    }

    private void fill(Entry e, SafetensorsWriter.Sink sink) throws IOException {
        long tensorSeed = mix(seed ^ fnv(e.name()));
        long n = e.numel();
        long chunks = (n + CHUNK_ELEMENTS - 1) / CHUNK_ELEMENTS;
        Deque<Future<ByteBuffer>> inFlight = new ArrayDeque<>();
        long next = 0;
        try {
            for (long done = 0; done < chunks; done++) {
                while (next < chunks && inFlight.size() < window) {
                    long c = next++;
                    long start = c * CHUNK_ELEMENTS;
                    int len = (int) Math.min(CHUNK_ELEMENTS, n - start);
                    inFlight.add(pool.submit(() -> chunk(e.init(), mix(tensorSeed + c), start, len)));
                }
                sink.write(inFlight.removeFirst().get());
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing " + e.name(), ex);
        } catch (ExecutionException ex) {
            throw new IOException("generating " + e.name() + " failed: " + ex.getCause(), ex.getCause());
        } finally {
            inFlight.forEach(f -> f.cancel(true));
        }
    }

    private ByteBuffer chunk(M2M100Layout.Init init, long chunkSeed, long start, int len) {
        ByteBuffer buf = ByteBuffer.allocate(len * dtype.size()).order(ByteOrder.LITTLE_ENDIAN);
        float mean = init == M2M100Layout.Init.NORM_WEIGHT ? 1f : 0f;
        float std = switch (init) {
            case EMBEDDING, WEIGHT, NORM_WEIGHT -> WEIGHT_STD;
            case BIAS, NORM_BIAS -> BIAS_STD;
        };
        float scale = std * IH_INV_STD;
        boolean embedding = init == M2M100Layout.Init.EMBEDDING;
        long padFrom = embedding ? (long) PAD_ROW * dModel : Long.MAX_VALUE;
        long padTo = embedding ? padFrom + dModel : Long.MAX_VALUE;
        long state = chunkSeed;
        for (int i = 0; i < len; i++) {
            state += 0x9E3779B97F4A7C15L;
            long z = mix(state);
            int sum = (int) (z & 0xffff) + (int) ((z >>> 16) & 0xffff) + (int) ((z >>> 32) & 0xffff) + (int) (z >>> 48);
            float v = mean + (sum - IH_MEAN) * scale;
            long global = start + i;
            if (global >= padFrom && global < padTo) {
                v = 0f; // HF zeroes the padding_idx row of the embedding
            }
            switch (dtype) {
                case F32 -> buf.putFloat(i * 4, v);
                case F16 -> buf.putShort(i * 2, FloatFormats.toF16(v));
                case BF16 -> buf.putShort(i * 2, FloatFormats.toBf16(v));
                default -> throw new IllegalStateException(dtype.name());
            }
        }
        return buf;
    }

    /** splitmix64 finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static long fnv(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }
}
