package dev.m2m100.tools.hub;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closes a response stream when no bytes arrive for a while: java.net.http has no read timeout for a body
 * being streamed, and a stalled connection would otherwise block a download forever. Closing the stream
 * wakes the blocked reader with an IOException, which the caller turns into a resumable interruption.
 */
final class StallGuard implements AutoCloseable {

    private final AtomicLong lastProgress = new AtomicLong(System.nanoTime());
    private final AtomicBoolean stalled = new AtomicBoolean();
    private final AtomicBoolean done = new AtomicBoolean();
    private final Thread watcher;

    StallGuard(Closeable stream, Duration timeout) {
        long limit = timeout.toNanos();
        long tick = Math.max(10, Math.min(1000, timeout.toMillis() / 4));
        watcher = Thread.ofVirtual().name("download-stall-guard").start(() -> {
            while (!done.get()) {
                try {
                    Thread.sleep(tick);
                } catch (InterruptedException e) {
                    return;
                }
                if (!done.get() && System.nanoTime() - lastProgress.get() > limit) {
                    stalled.set(true);
                    try {
                        stream.close();
                    } catch (IOException ignored) {
                        // closing is all we can do; the reader fails either way
                    }
                    return;
                }
            }
        });
    }

    void progress() {
        lastProgress.set(System.nanoTime());
    }

    boolean stalled() {
        return stalled.get();
    }

    @Override
    public void close() {
        done.set(true);
        watcher.interrupt();
    }
}
