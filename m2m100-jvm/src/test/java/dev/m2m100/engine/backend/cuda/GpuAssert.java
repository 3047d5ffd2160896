package dev.m2m100.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Element-wise comparison with an absolute + relative tolerance that names the worst element. Equal values match
 * whatever the tolerance, so equal infinities (the −∞ of banned or forced-away tokens) match; an infinity matches
 * nothing else, and a NaN matches nothing.
 */
final class GpuAssert {

    private GpuAssert() {
    }

    static void close(double[] expected, float[] actual, double abs, double rel, String what) {
        if (expected.length != actual.length) {
            fail(what + ": length " + actual.length + " != " + expected.length);
        }
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] == actual[i]) {
                continue;
            }
            // An infinity on either side (not equal to the other) is a mismatch: a relative tolerance of an infinite
            // expected value would otherwise allow anything. !(err <= allowed) also catches a NaN on either side.
            boolean infinite = Double.isInfinite(expected[i]) || Float.isInfinite(actual[i]);
            double err = infinite ? Double.POSITIVE_INFINITY : Math.abs(expected[i] - actual[i]);
            double allowed = abs + rel * Math.abs(expected[i]);
            if (!(err <= allowed && !infinite) && (worst < 0 || !(err - allowed <= worstExcess))) {
                worst = i;
                worstExcess = err - allowed;
            }
        }
        if (worst >= 0) {
            fail(what + ": element " + worst + " is " + actual[worst] + ", expected " + expected[worst]
                    + " (abs tol " + abs + ", rel tol " + rel + ")");
        }
    }
}
