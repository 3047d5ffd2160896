package dev.m2m100.engine.backend.cpu.gemm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * Off-heap memory for packed weights. Large blocks are mapped anonymously with {@code mmap} and marked
 * {@code MADV_HUGEPAGE}, then tied to the arena (unmapped when it closes). Why: {@link Arena#allocate} zero-fills
 * every byte up front, so loading the f32 418M touched 1.9 GB of fresh 4 KiB pages twice (the kernel's page
 * clearing, then the fill) before packing wrote them a third time — a profile of the load showed
 * {@code clear_page_erms} and page faults as the largest cost, and load times of 2–8 s on a 2-core VM. Fresh
 * anonymous pages are already zero, and 2 MiB pages need 512× fewer faults (and TLB entries while decoding,
 * where hosts set transparent huge pages to "madvise"). Where the calls are not available (not Linux, no
 * native access), it falls back to {@link Arena#allocate}.
 */
final class WeightMemory {
    /** Below this, an ordinary allocation: a mapping per small block would waste more than it saves. */
    private static final long MAPPED_MIN_BYTES = 2L << 20;
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final int MADV_HUGEPAGE = 14;

    private static final Optional<Calls> CALLS = Calls.find();

    private WeightMemory() {
    }

    /** {@code bytes} of zeroed memory, aligned to at least {@code align} (≤ 4096), freed with {@code arena}. */
    static MemorySegment allocate(Arena arena, long bytes, long align) {
        if (bytes >= MAPPED_MIN_BYTES && CALLS.isPresent() && align <= 4096) {
            MemorySegment mapped = CALLS.get().map(arena, bytes);
            if (mapped != null) {
                return mapped;
            }
        }
        return arena.allocate(bytes, align);
    }

    /** The three libc calls, bound once. */
    private record Calls(MethodHandle mmap, MethodHandle madvise, MethodHandle munmap) {
        static Optional<Calls> find() {
            if (!System.getProperty("os.name", "").startsWith("Linux")) {
                return Optional.empty();
            }
            try {
                Linker linker = Linker.nativeLinker();
                var libc = linker.defaultLookup();
                MethodHandle mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
                MethodHandle madvise = linker.downcallHandle(libc.find("madvise").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_INT));
                MethodHandle munmap = linker.downcallHandle(libc.find("munmap").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
                return Optional.of(new Calls(mmap, madvise, munmap));
            } catch (RuntimeException | LinkageError e) { // no native access, no such symbol
                return Optional.empty();
            }
        }

        /** A fresh anonymous mapping tied to the arena, or null if mmap failed. */
        MemorySegment map(Arena arena, long bytes) {
            try {
                MemorySegment p = (MemorySegment) mmap.invokeExact(MemorySegment.NULL, bytes, PROT_READ_WRITE,
                        MAP_PRIVATE_ANONYMOUS, -1, 0L);
                if (p.address() == -1L || p.address() == 0L) {
                    return null;
                }
                int ignored = (int) madvise.invokeExact(p, bytes, MADV_HUGEPAGE); // only a hint: failure is fine
                return p.reinterpret(bytes, arena, s -> unmap(s, bytes));
            } catch (Throwable e) {
                return null;
            }
        }

        private void unmap(MemorySegment s, long bytes) {
            try {
                int ignored = (int) munmap.invokeExact(s, bytes);
            } catch (Throwable e) {
                // unmapping at arena close cannot be reported anywhere useful; the process keeps the memory
            }
        }
    }
}
