package dev.m2m100.engine.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class AdmissionQueueTest {

    /** Items are "request:index" strings; requests are their names. */
    private static List<String> items(String request, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(request + ":" + i);
        }
        return out;
    }

    private static List<String> drain(AdmissionQueue<String, String> q, int n, Predicate<String> preferred) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n && !q.isEmpty(); i++) {
            out.add(q.take(q.next(preferred)));
        }
        return out;
    }

    @Test
    void clientsTakeTurnsWhateverTheirQueuedVolume() {
        AdmissionQueue<String, String> q = new AdmissionQueue<>();
        q.add("a", "A", 1, items("A", 1000));
        q.add("b", "B", 1, items("B", 2));
        q.add("c", "C", 1, items("C", 1));
        assertEquals(List.of("A:0", "B:0", "C:0", "A:1", "B:1", "A:2", "A:3"), drain(q, 7, r -> true));
        assertEquals(1000 - 4, q.size());
        assertEquals(1, q.waitingClients());
    }

    @Test
    void shareIsInDecoderRowsSoABeamRequestGetsFewerTexts() {
        AdmissionQueue<String, String> q = new AdmissionQueue<>();
        q.add("a", "greedy", 1, items("g", 20));
        q.add("b", "beam4", 4, items("b", 20));
        List<String> order = drain(q, 10, r -> true);
        // after b's first text (4 rows), a catches up with 4 texts (rows) before b's next turn
        assertEquals(List.of("g:0", "b:0", "g:1", "g:2", "g:3", "g:4", "b:1", "g:5", "g:6", "g:7"), order);
    }

    @Test
    void aLateComerEntersAtTheLeastGivenInsteadOfCashingInCredit() {
        AdmissionQueue<String, String> q = new AdmissionQueue<>();
        q.add("a", "A", 1, items("A", 10));
        q.add("b", "B", 1, items("B", 10));
        drain(q, 8, r -> true); // a and b given 4 each
        q.add("c", "C", 1, items("C", 10));
        // c does not get 4 turns in a row: it shares from now on
        assertEquals(List.of("A:4", "B:4", "C:0", "A:5", "B:5", "C:1"), drain(q, 6, r -> true));
    }

    @Test
    void requestsOfOneClientShareThatClientsTurns() {
        AdmissionQueue<String, String> q = new AdmissionQueue<>();
        q.add("a", "A1", 1, items("A1", 5));
        q.add("a", "A2", 1, items("A2", 5));
        q.add("b", "B", 1, items("B", 5));
        assertEquals(List.of("A1:0", "B:0", "A2:0", "B:1", "A1:1", "B:2", "A2:1"), drain(q, 7, r -> true));
    }

    @Test
    void requestsThatCanMeetTheirDeadlineGoFirstAndTheOthersStillRunAfterwards() {
        AdmissionQueue<String, String> q = new AdmissionQueue<>();
        q.add("a", "late", 1, items("late", 2));
        q.add("b", "ok", 1, items("ok", 2));
        Predicate<String> canMeet = r -> !r.equals("late");
        assertEquals(List.of("ok:0", "ok:1", "late:0", "late:1"), drain(q, 4, canMeet));
        assertTrue(q.isEmpty());
        assertNull(q.next(r -> true));
    }

    @Test
    void removingARequestDropsItsWaitingItemsAndForgetsAnEmptiedClient() {
        AdmissionQueue<String, String> q = new AdmissionQueue<>();
        q.add("a", "A", 1, items("A", 3));
        q.add("b", "B", 1, items("B", 2));
        q.removeIf(r -> r.equals("A"));
        assertEquals(2, q.size());
        assertEquals(1, q.waitingClients());
        assertEquals(1, q.waitingRequests());
        assertEquals(List.of("B:0", "B:1"), drain(q, 5, r -> true));
    }

    @Test
    void aSequenceGivenBackGoesFirstAgainAndIsNotChargedTwice() {
        AdmissionQueue<String, String> q = new AdmissionQueue<>();
        q.add("a", "A", 1, items("A", 3));
        q.add("b", "B", 1, items("B", 3));
        List<String> first = drain(q, 2, r -> true);
        assertEquals(List.of("A:0", "B:0"), first);
        q.putBack("a", "A", 1, "A:0"); // A:0 did not fit on the device: refunded, first in A's lane
        q.putBack("b", "B", 1, "B:0");
        assertEquals(6, q.size());
        assertEquals(List.of("A:0", "B:0", "A:1", "B:1", "A:2", "B:2"), drain(q, 6, r -> true));
        q.putBack("c", "C", 2, "C:0"); // a request no longer waiting comes back as a new lane
        assertEquals(List.of("C:0"), drain(q, 1, r -> true));
    }
}
