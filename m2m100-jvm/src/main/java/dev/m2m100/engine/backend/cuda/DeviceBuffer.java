package dev.m2m100.engine.backend.cuda;

import static dev.m2m100.engine.backend.cuda.CudaChecks.check;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/**
 * A range of device memory: a pointer and its size in bytes. Copies are synchronous (they run on the legacy
 * default stream, which orders them after the work of the backend's blocking stream) and bounds-checked,
 * so a wrong size is an exception naming the buffer instead of a silent overrun.
 *
 * @param pointer device address of the first byte
 * @param bytes   size of the range
 * @param label   what the buffer holds (used in error messages)
 */
public record DeviceBuffer(CUdeviceptr pointer, long bytes, String label) {

    public DeviceBuffer {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative buffer size for " + label + ": " + bytes);
        }
    }

    /** A sub-range starting {@code offsetBytes} into this buffer. */
    public DeviceBuffer slice(long offsetBytes, long length, String sliceLabel) {
        if (offsetBytes < 0 || length < 0 || offsetBytes + length > bytes) {
            throw new IllegalArgumentException("slice [" + offsetBytes + ", +" + length + ") outside " + label
                    + " of " + bytes + " bytes");
        }
        return new DeviceBuffer(pointer.withByteOffset(offsetBytes), length, sliceLabel);
    }

    public void upload(float[] host) {
        copyIn(Pointer.to(host), (long) host.length * Sizeof.FLOAT, "float[" + host.length + "]");
    }

    public void upload(int[] host) {
        copyIn(Pointer.to(host), (long) host.length * Sizeof.INT, "int[" + host.length + "]");
    }

    /** Uploads fp16 values given as their IEEE binary16 bit patterns. */
    public void upload(short[] host) {
        copyIn(Pointer.to(host), (long) host.length * Sizeof.SHORT, "short[" + host.length + "]");
    }

    /** Uploads the bytes of a host segment (native segments are copied from where they lie, e.g. a mapped file). */
    public void upload(MemorySegment host) {
        if (host.isNative()) {
            copyIn(Pointer.to(host.asByteBuffer()), host.byteSize(), host.byteSize() + " host bytes");
        } else {
            copyIn(Pointer.to(host.toArray(ValueLayout.JAVA_BYTE)), host.byteSize(), host.byteSize() + " heap bytes");
        }
    }

    public void download(float[] host) {
        copyOut(Pointer.to(host), (long) host.length * Sizeof.FLOAT, "float[" + host.length + "]");
    }

    public void download(int[] host) {
        copyOut(Pointer.to(host), (long) host.length * Sizeof.INT, "int[" + host.length + "]");
    }

    /** Downloads fp16 values as their IEEE binary16 bit patterns. */
    public void download(short[] host) {
        copyOut(Pointer.to(host), (long) host.length * Sizeof.SHORT, "short[" + host.length + "]");
    }

    /** Sets every byte to zero. */
    public void clear() {
        check(JCudaDriver.cuMemsetD8(pointer, (byte) 0, bytes), "cuMemsetD8(" + label + ", " + bytes + " bytes)");
    }

    private void copyIn(Pointer host, long n, String what) {
        requireFits(n, "upload of " + what);
        check(JCudaDriver.cuMemcpyHtoD(pointer, host, n), "cuMemcpyHtoD(" + label + " <- " + what + ")");
    }

    private void copyOut(Pointer host, long n, String what) {
        requireFits(n, "download into " + what);
        check(JCudaDriver.cuMemcpyDtoH(host, pointer, n), "cuMemcpyDtoH(" + what + " <- " + label + ")");
    }

    private void requireFits(long n, String what) {
        if (n > bytes) {
            throw new IllegalArgumentException(what + " needs " + n + " bytes but " + label + " has " + bytes);
        }
    }
}
