package dev.m2m100.engine.backend.cuda;

import java.util.ArrayList;
import java.util.List;

import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * A kernel's parameter list, built in declaration order with the C type of each parameter made explicit
 * (a wrong int/long is a silent garbage launch, so there is no Object... overload).
 */
public final class KernelArgs {

    private final List<NativePointerObject> values = new ArrayList<>();
    private final StringBuilder signature = new StringBuilder();
    private final List<String> ptxTypes = new ArrayList<>();

    public static KernelArgs of() {
        return new KernelArgs();
    }

    /** A device pointer parameter. */
    public KernelArgs ptr(DeviceBuffer buffer) {
        values.add(Pointer.to(buffer.pointer()));
        return note("ptr", ".u64");
    }

    /** A device pointer parameter that is null (an absent optional input). */
    public KernelArgs nullPtr() {
        values.add(Pointer.to(new CUdeviceptr()));
        return note("null", ".u64");
    }

    /** A device pointer that may be absent. */
    public KernelArgs ptrOrNull(DeviceBuffer buffer) {
        return buffer == null ? nullPtr() : ptr(buffer);
    }

    public KernelArgs i32(int v) {
        values.add(Pointer.to(new int[] {v}));
        return note("int", ".u32");
    }

    public KernelArgs i64(long v) {
        values.add(Pointer.to(new long[] {v}));
        return note("long long", ".u64");
    }

    public KernelArgs f32(float v) {
        values.add(Pointer.to(new float[] {v}));
        return note("float", ".f32");
    }

    private KernelArgs note(String type, String ptxType) {
        ptxTypes.add(ptxType);
        if (!signature.isEmpty()) {
            signature.append(", ");
        }
        signature.append(type);
        return this;
    }

    int count() {
        return values.size();
    }

    /** The parameter types in order, for error messages. */
    String signature() {
        return signature.toString();
    }

    /** The PTX parameter types ({@code .u64}, {@code .u32}, {@code .f32}) in order, for ABI checks. */
    List<String> ptxTypes() {
        return List.copyOf(ptxTypes);
    }

    Pointer toKernelParams() {
        return Pointer.to(values.toArray(NativePointerObject[]::new));
    }
}
