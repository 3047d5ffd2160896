package dev.m2m100.engine.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CompletionEstimateTest {

    @Test
    void nothingIsExpectedBeforeAnythingWasSeen() {
        CompletionEstimate e = new CompletionEstimate();
        assertEquals(0, e.expectedNanos(200));
        e.stepTook(1_000_000);
        assertEquals(0, e.expectedNanos(200), "no finished sequence yet");
    }

    @Test
    void expectsStepTimeTimesTypicalLengthCappedByTheRequestsLimit() {
        CompletionEstimate e = new CompletionEstimate();
        e.stepTook(2_000_000);
        e.sequenceFinished(40);
        assertEquals(80_000_000, e.expectedNanos(200));
        assertEquals(16_000_000, e.expectedNanos(8), "a request limited to 8 tokens takes at most 8 steps");
        for (int i = 0; i < 500; i++) {
            e.stepTook(4_000_000); // the average follows what the scheduler sees now
        }
        assertEquals(160_000_000, e.expectedNanos(200), 1_000_000);
    }
}
