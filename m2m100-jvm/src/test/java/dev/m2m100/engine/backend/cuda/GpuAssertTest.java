package dev.m2m100.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The GPU tests' comparison itself, on the CPU: a wrong oracle would make every GPU run meaningless. */
class GpuAssertTest {

    private static final double INF = Double.POSITIVE_INFINITY;

    @Test
    void equalInfinitiesMatchEvenWithZeroTolerance() {
        // a forced row's top-k: [0, −∞ × 9] on both backends
        GpuAssert.close(new double[] {0, -INF, -INF, INF}, new float[] {0f, Float.NEGATIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}, 0, 0, "forced row");
        GpuAssert.close(new double[] {1.0, -2.0}, new float[] {1.00001f, -2f}, 1e-4, 0, "within tolerance");
    }

    @Test
    void infinitiesOfOtherSignsOrAgainstFiniteValuesFail() {
        assertThrows(AssertionError.class,
                () -> GpuAssert.close(new double[] {-INF}, new float[] {Float.POSITIVE_INFINITY}, 1, 1, "signs"));
        assertThrows(AssertionError.class,
                () -> GpuAssert.close(new double[] {-INF}, new float[] {-3.4e38f}, 1, 1, "finite actual"));
        assertThrows(AssertionError.class,
                () -> GpuAssert.close(new double[] {-1e30}, new float[] {Float.NEGATIVE_INFINITY}, 1, 1, "inf actual"));
    }

    @Test
    void aNanMatchesNothing() {
        assertThrows(AssertionError.class,
                () -> GpuAssert.close(new double[] {Double.NaN}, new float[] {Float.NaN}, 1, 1, "both NaN"));
        assertThrows(AssertionError.class,
                () -> GpuAssert.close(new double[] {0.5}, new float[] {Float.NaN}, 1, 1, "NaN actual"));
    }

    @Test
    void theMessageNamesTheWorstElement() {
        AssertionError e = assertThrows(AssertionError.class, () -> GpuAssert.close(new double[] {1, 2, 3, 4},
                new float[] {1.5f, 2f, 9f, 4.2f}, 0.1, 0, "row"));
        assertEquals("row: element 2 is 9.0, expected 3.0 (abs tol 0.1, rel tol 0.0)", e.getMessage());
        assertThrows(AssertionError.class, () -> GpuAssert.close(new double[] {1}, new float[] {1, 2}, 1, 1, "len"));
    }
}
