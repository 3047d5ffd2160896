package dev.m2m100.server;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where the service stands (loading → ready → draining → stopped, or failed) and how many translation
 * requests are in flight, so that a drain can wait for exactly those.
 */
final class Lifecycle {

    enum Phase { LOADING, READY, DRAINING, STOPPED, FAILED }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private Phase phase = Phase.LOADING;
    private int inFlight;
    private String failure;

    Phase phase() {
        lock.lock();
        try {
            return phase;
        } finally {
            lock.unlock();
        }
    }

    boolean isReady() {
        return phase() == Phase.READY;
    }

    int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    String failure() {
        lock.lock();
        try {
            return failure;
        } finally {
            lock.unlock();
        }
    }

    /** Loading finished: from now on requests are accepted (unless a drain began meanwhile). */
    void ready() {
        transition(Phase.LOADING, Phase.READY, null);
    }

    void failed(String reason) {
        transition(Phase.LOADING, Phase.FAILED, reason);
    }

    private void transition(Phase from, Phase to, String reason) {
        lock.lock();
        try {
            if (phase == from) {
                phase = to;
                failure = reason;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Admits a translation request, or says why not. The phase check and the count are one atomic step,
     * so a drain never misses a request that was admitted.
     *
     * @return null when admitted (the caller must call {@link #leave()}), else the refusing phase
     */
    Phase tryEnter() {
        lock.lock();
        try {
            if (phase != Phase.READY) {
                return phase;
            }
            inFlight++;
            return null;
        } finally {
            lock.unlock();
        }
    }

    void leave() {
        lock.lock();
        try {
            inFlight--;
            if (inFlight == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops admitting requests. Idempotent. */
    void beginDrain() {
        lock.lock();
        try {
            if (phase != Phase.STOPPED) {
                phase = Phase.DRAINING;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits until no request is in flight; returns false when {@code timeout} passed first. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (inFlight > 0) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = idle.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    void stopped() {
        lock.lock();
        try {
            phase = Phase.STOPPED;
        } finally {
            lock.unlock();
        }
    }
}
