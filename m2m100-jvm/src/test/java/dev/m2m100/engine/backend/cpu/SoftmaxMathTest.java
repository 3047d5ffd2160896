package dev.m2m100.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SoftmaxMathTest {

    @Test
    void expIsAccurateOverTheRange() {
        double worst = 0;
        for (float x = -87f; x <= 0f; x += 0.000731f) {
            double ref = Math.exp(x);
            worst = Math.max(worst, Math.abs(SoftmaxMath.exp(x) - ref) / ref);
        }
        assertTrue(worst < 2e-7, "max relative error " + worst);
        assertEquals(1f, SoftmaxMath.exp(0f));
        assertTrue(SoftmaxMath.exp(-1000f) < 1e-37f && SoftmaxMath.exp(-1000f) >= 0f);
    }

    @Test
    void vectorAndScalarPathsAgreeAndMatchTheDoubleSum() {
        Random r = new Random(1);
        for (int n : new int[] {1, 7, 8, 13, 4101, 128112}) {
            float[] a = new float[n + 3];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (r.nextGaussian() * 20);
            }
            float max = SoftmaxMath.max(a, 3, n);
            float refMax = Float.NEGATIVE_INFINITY;
            double refSum = 0;
            double scalarSum = 0;
            for (int i = 3; i < n + 3; i++) {
                refMax = Math.max(refMax, a[i]);
            }
            for (int i = 3; i < n + 3; i++) {
                refSum += Math.exp(a[i] - refMax);
                scalarSum += SoftmaxMath.exp(a[i] - refMax);
            }
            assertEquals(refMax, max);
            double sum = SoftmaxMath.sumExp(a, 3, n, max);
            assertEquals(refSum, sum, refSum * 3e-7, "n = " + n);
            assertEquals(scalarSum, sum, scalarSum * 1e-12, "n = " + n);
        }
    }
}
