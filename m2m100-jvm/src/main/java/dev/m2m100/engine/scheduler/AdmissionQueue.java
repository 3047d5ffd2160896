package dev.m2m100.engine.scheduler;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The sequences waiting for admission, grouped by client and, within a client, by request, and handed out
 * fairly: the next sequence comes from the waiting client that has been given least so far, and within it from
 * its waiting request that has been given least (earliest arrival breaks ties). What a sequence "costs" is its
 * decoder rows (beams), so a five-beam request gets a fifth of the texts of a greedy one, the same share of the
 * decoder. A client or request that starts waiting enters at the least given of those already waiting, so it
 * neither jumps ahead on credit it never used nor waits behind what others were given before it came.
 *
 * <p>Not thread-safe: the scheduler guards it with its lock.
 *
 * @param <R> the request type
 * @param <T> the queued item (one source sequence)
 */
final class AdmissionQueue<R, T> {

    /** One request's waiting sequences. */
    final class Lane {
        final R request;
        final int cost;
        private final ArrayDeque<T> waiting;
        private final Client client;
        private final long arrival;
        private long given;

        private Lane(R request, int cost, List<T> items, Client client, long arrival, long given) {
            this.request = request;
            this.cost = cost;
            this.waiting = new ArrayDeque<>(items);
            this.client = client;
            this.arrival = arrival;
            this.given = given;
        }

        /** The sequence {@link #take} would hand out. */
        T peek() {
            return waiting.peek();
        }
    }

    private final class Client {
        final String id;
        final List<Lane> lanes = new ArrayList<>();
        final long arrival;
        long given;

        Client(String id, long arrival, long given) {
            this.id = id;
            this.arrival = arrival;
            this.given = given;
        }
    }

    private final Map<String, Client> clients = new LinkedHashMap<>(); // only clients with waiting sequences
    private final Map<R, Lane> lanes = new IdentityHashMap<>(); // the waiting requests' lanes
    private long arrivals;
    private int size;

    /** Queues a request's sequences (none of them admitted yet); each will cost {@code cost} when admitted. */
    void add(String clientId, R request, int cost, List<T> items) {
        if (items.isEmpty()) {
            return;
        }
        Client client = clients.get(clientId);
        if (client == null) {
            client = new Client(clientId, arrivals++, leastGiven(clients.values(), c -> c.given));
            clients.put(clientId, client);
        }
        Lane lane = new Lane(request, cost, items, client, arrivals++, leastGiven(client.lanes, l -> l.given));
        client.lanes.add(lane);
        lanes.put(request, lane);
        size += items.size();
    }

    /**
     * Gives back a sequence that was taken but could not run (the device ran out of memory): it goes first in its
     * request's lane, and its request and client get back what taking it cost them.
     */
    void putBack(String clientId, R request, int cost, T item) {
        Lane lane = lanes.get(request);
        if (lane == null) {
            add(clientId, request, cost, List.of(item));
            return;
        }
        lane.waiting.addFirst(item);
        lane.given -= cost;
        lane.client.given -= cost;
        size++;
    }

    private static <E> long leastGiven(Iterable<E> waiting, java.util.function.ToLongFunction<E> given) {
        long least = Long.MAX_VALUE;
        for (E e : waiting) {
            least = Math.min(least, given.applyAsLong(e));
        }
        return least == Long.MAX_VALUE ? 0 : least;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /**
     * The request whose sequence is due next: chosen fairly among the requests {@code preferred} accepts, and
     * only when it accepts none, among all. Null when nothing waits. Nothing is taken until {@link #take}.
     */
    Lane next(Predicate<R> preferred) {
        Lane lane = fairest(preferred);
        return lane != null ? lane : fairest(r -> true);
    }

    private Lane fairest(Predicate<R> eligible) {
        Lane best = null;
        for (Client client : clients.values()) {
            Lane candidate = null;
            for (Lane lane : client.lanes) {
                if (eligible.test(lane.request) && (candidate == null || before(lane.given, lane.arrival,
                        candidate.given, candidate.arrival))) {
                    candidate = lane;
                }
            }
            if (candidate != null && (best == null || before(client.given, client.arrival,
                    best.client.given, best.client.arrival))) {
                best = candidate;
            }
        }
        return best;
    }

    private static boolean before(long given, long arrival, long otherGiven, long otherArrival) {
        return given < otherGiven || (given == otherGiven && arrival < otherArrival);
    }

    /** Hands out the lane's next sequence and charges its client and request for it. */
    T take(Lane lane) {
        T item = lane.waiting.poll();
        if (item == null) {
            throw new IllegalStateException("the request has no waiting sequence");
        }
        size--;
        lane.given += lane.cost;
        lane.client.given += lane.cost;
        if (lane.waiting.isEmpty()) {
            forget(lane);
        }
        return item;
    }

    /** Drops every waiting sequence of the requests {@code gone} accepts (failed, cancelled, timed out). */
    void removeIf(Predicate<R> gone) {
        for (Iterator<Client> ci = clients.values().iterator(); ci.hasNext(); ) {
            Client client = ci.next();
            for (Iterator<Lane> li = client.lanes.iterator(); li.hasNext(); ) {
                Lane lane = li.next();
                if (gone.test(lane.request)) {
                    size -= lane.waiting.size();
                    lanes.remove(lane.request);
                    li.remove();
                }
            }
            if (client.lanes.isEmpty()) {
                ci.remove();
            }
        }
    }

    /** Requests with sequences waiting. */
    int waitingRequests() {
        int n = 0;
        for (Client client : clients.values()) {
            n += client.lanes.size();
        }
        return n;
    }

    /** Clients with sequences waiting. */
    int waitingClients() {
        return clients.size();
    }

    private void forget(Lane lane) {
        lanes.remove(lane.request);
        lane.client.lanes.remove(lane);
        if (lane.client.lanes.isEmpty()) {
            clients.remove(lane.client.id);
        }
    }
}
