package dev.m2m100.engine.backend.cpu.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jdk.incubator.vector.IntVector;
import org.junit.jupiter.api.Test;

/** The in-register f16 → f32 widening of the kernels equals {@link Float#float16ToFloat} for every finite half. */
class F16WideningTest {

    @Test
    void everyFiniteHalfWidensExactlyInBothHalvesOfALane() {
        int[] lanes = new int[8];
        float[] low = new float[8];
        float[] high = new float[8];
        int checked = 0;
        for (int first = 0; first < 0x10000; first += 8) {
            for (int l = 0; l < 8; l++) {
                int h = first + l;
                int other = (h * 40503) & 0xffff; // a different half in the other 16 bits of the lane
                if (isInfOrNaN(other)) {
                    other = 0x3c00;
                }
                lanes[l] = (other << 16) | h; // low half: h
            }
            Gemm.f16Low(IntVector.fromArray(IntVector.SPECIES_256, lanes, 0)).intoArray(low, 0);
            for (int l = 0; l < 8; l++) {
                lanes[l] = ((first + l) << 16) | (lanes[l] >>> 16); // high half: h
            }
            Gemm.f16High(IntVector.fromArray(IntVector.SPECIES_256, lanes, 0)).intoArray(high, 0);
            for (int l = 0; l < 8; l++) {
                int h = first + l;
                if (isInfOrNaN(h)) {
                    continue; // packing rejects non-finite f16 weights
                }
                int expected = Float.floatToRawIntBits(Float.float16ToFloat((short) h));
                assertEquals(expected, Float.floatToRawIntBits(low[l]), () -> "low half 0x" + Integer.toHexString(h));
                assertEquals(expected, Float.floatToRawIntBits(high[l]), () -> "high half 0x" + Integer.toHexString(h));
                checked++;
            }
        }
        assertEquals(0x10000 - 2 * 0x400, checked); // all but the 2 × 1024 Inf/NaN patterns
    }

    private static boolean isInfOrNaN(int half) {
        return (half & 0x7c00) == 0x7c00;
    }
}
