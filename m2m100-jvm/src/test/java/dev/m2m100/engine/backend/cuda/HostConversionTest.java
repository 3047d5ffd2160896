package dev.m2m100.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import dev.m2m100.engine.safetensors.DType;

import org.junit.jupiter.api.Test;

class HostConversionTest {

    private static final float[] VALUES = {0f, -0f, 1f, -2.5f, 3.14159265f, 65504f, 65520f, 1e-7f, -1e-3f, 1234.5678f};

    @Test
    void f32ToBothStorageTypes() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(4L * VALUES.length);
            for (int i = 0; i < VALUES.length; i++) {
                seg.set(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 4L * i, VALUES[i]);
            }
            float[] f = new float[VALUES.length - 2];
            HostConversion.toFloat(seg, DType.F32, 2, f);
            assertArrayEquals(java.util.Arrays.copyOfRange(VALUES, 2, VALUES.length), f);
            short[] h = new short[VALUES.length];
            HostConversion.toHalf(seg, DType.F32, 0, h);
            for (int i = 0; i < VALUES.length; i++) {
                assertEquals(Float.floatToFloat16(VALUES[i]), h[i], "element " + i);
            }
            assertEquals(Float.POSITIVE_INFINITY, Float.float16ToFloat(h[6]), "65520 rounds to +inf in fp16");
        }
    }

    @Test
    void f16AndBf16WidenExactly() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment half = arena.allocate(2L * VALUES.length);
            MemorySegment bf = arena.allocate(2L * VALUES.length);
            ValueLayout.OfShort le = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < VALUES.length; i++) {
                half.set(le, 2L * i, Float.floatToFloat16(VALUES[i]));
                bf.set(le, 2L * i, (short) (Float.floatToRawIntBits(VALUES[i]) >>> 16));
            }
            float[] f = new float[VALUES.length];
            HostConversion.toFloat(half, DType.F16, 0, f);
            short[] h = new short[VALUES.length];
            HostConversion.toHalf(half, DType.F16, 0, h);
            for (int i = 0; i < VALUES.length; i++) {
                assertEquals(Float.float16ToFloat(Float.floatToFloat16(VALUES[i])), f[i]);
                assertEquals(Float.floatToFloat16(VALUES[i]), h[i]);
            }
            HostConversion.toFloat(bf, DType.BF16, 0, f);
            for (int i = 0; i < VALUES.length; i++) {
                assertEquals(Float.intBitsToFloat(Float.floatToRawIntBits(VALUES[i]) & 0xffff0000), f[i]);
            }
        }
    }

    @Test
    void otherDtypesAreRejectedByName() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(8);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HostConversion.toFloat(seg, DType.I8, 0, new float[1]));
            assertEquals(true, e.getMessage().contains("I8"));
        }
    }
}
