package dev.m2m100.tools.bench;

import java.lang.management.ManagementFactory;

/** Bytes allocated on the heap by the current thread, where the JVM can tell (HotSpot can). */
final class ThreadAllocation {
    private static final com.sun.management.ThreadMXBean THREADS =
            ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                    && t.isThreadAllocatedMemorySupported() ? t : null;

    private ThreadAllocation() {}

    /** Bytes the current thread has allocated so far; 0 where unknown. */
    static long currentThreadBytes() {
        return THREADS == null ? 0 : THREADS.getCurrentThreadAllocatedBytes();
    }
}
