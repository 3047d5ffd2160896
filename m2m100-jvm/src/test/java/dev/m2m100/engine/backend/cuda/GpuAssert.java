package dev.m2m100.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.fail;

/** Element-wise comparison with an absolute + relative tolerance that names the worst element. */
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
            double err = Math.abs(expected[i] - actual[i]);
            double allowed = abs + rel * Math.abs(expected[i]);
            if (!(err <= allowed) && (worst < 0 || err - allowed > worstExcess)) {
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
