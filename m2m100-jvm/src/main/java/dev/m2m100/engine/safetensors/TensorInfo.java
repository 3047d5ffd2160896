package dev.m2m100.engine.safetensors;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * One tensor's header entry.
 *
 * @param name   tensor name as stored
 * @param dtype  element type
 * @param shape  dimensions, outermost first (an empty array for a scalar)
 * @param begin  first byte of the data, relative to the start of the data section
 * @param end    one past the last byte, relative to the start of the data section
 * @param file   the file that holds the tensor
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end, Path file) {

    public TensorInfo {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Size of dimension {@code i}. */
    public long dim(int i) {
        return shape[i];
    }

    /** Number of elements (1 for a scalar). */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public long byteSize() {
        return end - begin;
    }

    /** Whether the shape equals {@code expected} exactly. */
    public boolean hasShape(long... expected) {
        return Arrays.equals(shape, expected);
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && begin == t.begin && end == t.end && file.equals(t.file);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + shapeString() + " [" + begin + ", " + end + ") in " + file;
    }
}
