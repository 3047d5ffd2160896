package dev.m2m100.engine.backend.cuda;

import java.lang.foreign.MemorySegment;

import dev.m2m100.engine.safetensors.DType;
import dev.m2m100.engine.safetensors.TensorInfo;

/**
 * Copies checkpoint tensors into device buffers in the backend's storage precision, converting on the host
 * in bounded chunks (no full-size host copy of a 500 MB embedding matrix). Weights are uploaded once, at
 * load time.
 */
public final class WeightUploader {

    private static final int CHUNK = 1 << 20;

    private WeightUploader() {
    }

    /** Device bytes a tensor takes in precision {@code p}. */
    public static long deviceBytes(TensorInfo info, Precision p) {
        return info.elementCount() * p.bytes();
    }

    /**
     * Uploads tensor {@code info} (its raw bytes in {@code src}) into {@code dst} as {@code p}.
     *
     * @throws IllegalArgumentException when the dtype cannot be converted or {@code dst} is too small, naming
     *                                  the tensor
     */
    public static void upload(TensorInfo info, MemorySegment src, Precision p, DeviceBuffer dst) {
        DType dtype = info.dtype();
        if (dtype != DType.F32 && dtype != DType.F16 && dtype != DType.BF16) {
            throw new IllegalArgumentException("tensor " + info.name() + " has dtype " + dtype
                    + "; the CUDA backend uploads F32, F16 or BF16 weights");
        }
        long n = info.elementCount();
        if (src.byteSize() < n * dtype.byteSize()) {
            throw new IllegalArgumentException("tensor " + info.name() + ": " + src.byteSize()
                    + " bytes given for " + n + " elements of " + dtype);
        }
        if (dst.bytes() < n * p.bytes()) {
            throw new IllegalArgumentException("tensor " + info.name() + " needs " + n * p.bytes()
                    + " device bytes, " + dst.label() + " has " + dst.bytes());
        }
        for (long from = 0; from < n; from += CHUNK) {
            int count = (int) Math.min(CHUNK, n - from);
            DeviceBuffer target = dst.slice(from * p.bytes(), (long) count * p.bytes(), info.name());
            if (p == Precision.FP32) {
                float[] chunk = new float[count];
                HostConversion.toFloat(src, dtype, from, chunk);
                target.upload(chunk);
            } else {
                short[] chunk = new short[count];
                HostConversion.toHalf(src, dtype, from, chunk);
                target.upload(chunk);
            }
        }
    }
}
