package dev.m2m100.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import jcuda.driver.CUdeviceptr;

import org.junit.jupiter.api.Test;

/**
 * The staging arena against a fake device that, like a GPU, performs queued copies only later (here: when
 * synchronised) and reads the pinned bytes at that moment: a staging that reused bytes still waiting to be copied,
 * or freed memory with copies pending, is caught.
 */
class PinnedStagingTest {

    /** Queued copies run at synchronize; each HtoD remembers the bytes it was queued with. */
    private static final class LazyDevice implements StagingDevice {
        record Copy(Region region, long offset, byte[] queuedBytes) {}

        final Arena arena = Arena.ofAuto();
        final List<Copy> pending = new ArrayList<>();
        final List<Copy> done = new ArrayList<>();
        final List<Runnable> pendingToHost = new ArrayList<>();
        final Map<DeviceBuffer, byte[]> deviceValues = new IdentityHashMap<>();
        final List<String> events = new ArrayList<>();
        int regions;

        @Override
        public Region allocate(long bytes) {
            regions++;
            events.add("allocate " + bytes);
            return new Region(arena.allocate(bytes, 16), new DeviceBuffer(new CUdeviceptr(), bytes, "fake device"));
        }

        @Override
        public void free(Region region) {
            events.add("free " + region.host().byteSize());
            for (Copy c : pending) {
                if (c.region() == region) {
                    throw new AssertionError("region freed with a copy still queued");
                }
            }
            regions--;
        }

        @Override
        public void copyToDeviceAsync(Region region, long offset, long bytes) {
            pending.add(new Copy(region, offset, region.host().asSlice(offset, bytes).toArray(ValueLayout.JAVA_BYTE)));
        }

        @Override
        public void copyToHostAsync(DeviceBuffer src, Region region, long offset, long bytes) {
            byte[] values = deviceValues.get(src);
            pendingToHost.add(() -> MemorySegment.copy(MemorySegment.ofArray(values), 0, region.host(), offset, bytes));
        }

        @Override
        public void synchronize(String after) {
            events.add("sync " + after);
            for (Copy c : pending) {
                byte[] now = c.region().host().asSlice(c.offset(), c.queuedBytes().length).toArray(ValueLayout.JAVA_BYTE);
                assertArrayEquals(c.queuedBytes(), now, "staged bytes were overwritten before their copy ran");
                done.add(c);
            }
            pending.clear();
            pendingToHost.forEach(Runnable::run);
            pendingToHost.clear();
        }
    }

    private static int[] values(Random r, int n) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt();
        }
        return v;
    }

    private static int[] ints(byte[] bytes) {
        int[] out = new int[bytes.length / 4];
        MemorySegment.copy(MemorySegment.ofArray(bytes), ValueLayout.JAVA_INT_UNALIGNED, 0, out, 0, out.length);
        return out;
    }

    @Test
    void callsBeyondTheArenaWaitForTheStreamInsteadOfOverwritingQueuedBytes() {
        LazyDevice dev = new LazyDevice();
        Random r = new Random(1);
        List<int[]> sent = new ArrayList<>();
        try (PinnedStaging staging = new PinnedStaging(dev, 1024)) {
            for (int call = 0; call < 200; call++) {
                int[] a = values(r, r.nextInt(40));
                int[] b = values(r, 1 + r.nextInt(30));
                DeviceBuffer[] slices = staging.upload("call " + call, a, b);
                assertEquals(Math.max(PinnedStaging.ALIGN, 4L * a.length), slices[0].bytes());
                assertEquals(Math.max(PinnedStaging.ALIGN, 4L * b.length), slices[1].bytes());
                if (a.length > 0) {
                    sent.add(a);
                }
                sent.add(b);
                if (call % 37 == 36) {
                    staging.synchronize("a step's results");
                }
            }
            staging.synchronize("the end");
            assertEquals(1024, staging.capacity(), "never needed to grow");
        }
        assertEquals(sent.size(), dev.done.size());
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), ints(dev.done.get(i).queuedBytes()), "copy " + i);
            assertEquals(0, dev.done.get(i).offset() % PinnedStaging.ALIGN);
        }
        assertTrue(dev.events.stream().filter(e -> e.equals("sync staging full")).count() > 10, dev.events.toString());
        assertEquals(0, dev.regions, "the arena is freed on close");
    }

    @Test
    void oneCallsArraysNeverOverlapAndEmptyArraysGetAValidSliceWithoutACopy() {
        LazyDevice dev = new LazyDevice();
        try (PinnedStaging staging = new PinnedStaging(dev, 4096)) {
            int[] a = {1, 2, 3};
            int[] empty = {};
            int[] b = {4, 5, 6, 7, 8};
            DeviceBuffer[] s = staging.upload("x", a, empty, b);
            assertEquals(3, s.length);
            assertEquals(PinnedStaging.ALIGN, s[1].bytes());
            staging.synchronize("check");
            assertEquals(2, dev.done.size());
            long aEnd = dev.done.get(0).offset() + 12;
            assertTrue(dev.done.get(1).offset() >= aEnd + PinnedStaging.ALIGN, "the empty array has its own slot");
        }
    }

    @Test
    void aCallLargerThanTheArenaReplacesItOnlyAfterTheQueuedCopiesRan() {
        LazyDevice dev = new LazyDevice();
        try (PinnedStaging staging = new PinnedStaging(dev, 64)) {
            staging.upload("small", new int[] {1, 2, 3});
            int[] big = values(new Random(2), 100);
            staging.upload("big", big);
            assertEquals(List.of("allocate 64", "sync staging full", "free 64", "allocate 400"), dev.events);
            assertEquals(400, staging.capacity());
            staging.synchronize("end");
            assertArrayEquals(big, ints(dev.done.get(1).queuedBytes()));
        }
        assertEquals(0, dev.regions);
    }

    @Test
    void resultsComeBackThroughPinnedMemoryAfterOneWait() {
        LazyDevice dev = new LazyDevice();
        float[] lp = {-0.5f, -1.25f, Float.NEGATIVE_INFINITY};
        int[] ids = {7, 3, 99};
        MemorySegment lpBytes = MemorySegment.ofArray(new byte[12]);
        MemorySegment.copy(lp, 0, lpBytes, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, 3);
        MemorySegment idBytes = MemorySegment.ofArray(new byte[12]);
        MemorySegment.copy(ids, 0, idBytes, ValueLayout.JAVA_INT_UNALIGNED, 0, 3);
        DeviceBuffer lpDev = new DeviceBuffer(new CUdeviceptr(), 12, "lp");
        DeviceBuffer idDev = new DeviceBuffer(new CUdeviceptr(), 12, "ids");
        dev.deviceValues.put(lpDev, lpBytes.toArray(ValueLayout.JAVA_BYTE));
        dev.deviceValues.put(idDev, idBytes.toArray(ValueLayout.JAVA_BYTE));
        try (PinnedStaging staging = new PinnedStaging(dev, 1024)) {
            staging.upload("forced tokens", new int[] {5, -1, -1});
            float[] gotLp = new float[3];
            int[] gotIds = new int[3];
            staging.download("top-k", lpDev, gotLp, idDev, gotIds);
            assertArrayEquals(lp, gotLp);
            assertArrayEquals(ids, gotIds);
            assertEquals(List.of("allocate 1024", "sync top-k"), dev.events);
        }
    }

    @Test
    void aClosedStagingRefusesWork() {
        PinnedStaging staging = new PinnedStaging(new LazyDevice(), 64);
        staging.close();
        staging.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> staging.upload("x", new int[1]));
        assertEquals("staging is closed", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PinnedStaging(new LazyDevice(), 8));
    }
}
