package dev.m2m100.engine.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.m2m100.engine.testing.ReferenceCases.Case;
import java.util.List;

/**
 * Compares a model's outputs with a reference case's Hugging Face values element by element, failing on the
 * first value outside the tolerance (a NaN always fails) with its row, position and index, and returning the
 * largest difference seen so tests can print it. Shared by every backend's parity test.
 */
public final class ReferenceComparison {
    private ReferenceComparison() {}

    /** Encoder states of the real tokens of every batch row (one {@code [tokens][d]} array per row). */
    public static double encoderStates(Case c, List<float[][]> states, double tolerance) {
        double worst = 0;
        for (int b = 0; b < c.batch(); b++) {
            float[][] got = states.get(b);
            assertEquals(c.source(b).length, got.length, c.id() + " row " + b + ": number of encoder states");
            for (int t = 0; t < got.length; t++) {
                for (int j = 0; j < got[t].length; j++) {
                    float ref = c.encoderStates()[b][t][j];
                    double err = Math.abs(got[t][j] - ref);
                    worst = Math.max(worst, err);
                    if (!(err <= tolerance)) {
                        throw new AssertionError(c.id() + " row " + b + " token " + t + " dim " + j + ": got "
                                + got[t][j] + ", reference " + ref + " (tolerance " + tolerance + ")");
                    }
                }
            }
        }
        return worst;
    }

    /** Teacher-forced logits {@code [row][decoder position][vocab]} at the reference's logit positions. */
    public static double logits(Case c, float[][][] logits, double tolerance) {
        double worst = 0;
        for (int b = 0; b < c.batch(); b++) {
            for (int i = 0; i < c.logitPositions().length; i++) {
                int pos = c.logitPositions()[i];
                float[] ref = c.logits()[b][i];
                float[] got = logits[b][pos];
                assertEquals(ref.length, got.length, c.id() + " row " + b + " position " + pos + ": vocabulary size");
                for (int v = 0; v < ref.length; v++) {
                    double err = Math.abs(got[v] - ref[v]);
                    worst = Math.max(worst, err);
                    if (!(err <= tolerance)) {
                        throw new AssertionError(c.id() + " row " + b + " position " + pos + " token " + v
                                + ": got " + got[v] + ", reference " + ref[v] + " (tolerance " + tolerance + ")");
                    }
                }
            }
        }
        return worst;
    }
}
