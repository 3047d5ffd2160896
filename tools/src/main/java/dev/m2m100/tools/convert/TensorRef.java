package dev.m2m100.tools.convert;

import java.util.Arrays;

/**
 * A tensor of a PyTorch checkpoint as {@code _rebuild_tensor_v2} describes it: a view (offset in elements,
 * shape, stride) on a storage stored in the archive as {@code data/<key>}.
 */
public record TensorRef(StorageRef storage, long offset, long[] shape, long[] stride) {

    /** A storage record: archive key, element type, element count. */
    public record StorageRef(String key, TorchDtype dtype, long numel) {
    }

    public TensorRef {
        shape = shape.clone();
        stride = stride.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public long[] stride() {
        return stride.clone();
    }

    public long numel() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Row-major contiguous (dimensions of size 1 may have any stride, as in PyTorch). */
    public boolean isContiguous() {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /** Same storage, offset, shape and stride: two names for one tensor (tied weights). */
    public boolean sameViewAs(TensorRef o) {
        return storage.key().equals(o.storage.key()) && offset == o.offset
                && Arrays.equals(shape, o.shape) && Arrays.equals(stride, o.stride);
    }
}
