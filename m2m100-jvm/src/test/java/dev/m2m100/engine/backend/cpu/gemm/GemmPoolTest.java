package dev.m2m100.engine.backend.cpu.gemm;

import java.lang.foreign.Arena;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * What the GEMM tests share: a pool with more participants than this machine's cores (odd chunks, panel pairs
 * split across threads), an arena for packed weights, and Gaussian test data.
 */
abstract class GemmPoolTest {
    static WorkerPool pool;
    static Arena arena;

    @BeforeAll
    static void openPool() {
        pool = new WorkerPool(3);
        arena = Arena.ofShared();
    }

    @AfterAll
    static void closePool() {
        pool.close();
        arena.close();
    }

    static float[] random(Random r, int size, float scale) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) (r.nextGaussian() * scale);
        }
        return a;
    }
}
