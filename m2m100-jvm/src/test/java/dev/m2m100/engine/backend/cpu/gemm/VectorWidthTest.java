package dev.m2m100.engine.backend.cpu.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The vector-width choice: by CPU, JVM and weight format, the override, and a bad override as a clear error. */
class VectorWidthTest {
    static final CpuIdentity ZEN4 = new CpuIdentity("AuthenticAMD", 25, 17);
    static final CpuIdentity ZEN5 = new CpuIdentity("AuthenticAMD", 26, 2);
    static final CpuIdentity ZEN3 = new CpuIdentity("AuthenticAMD", 25, 1);
    static final CpuIdentity SAPPHIRE_RAPIDS = new CpuIdentity("GenuineIntel", 6, 143);

    @Test
    void readsTheFirstProcessorOfCpuinfo() {
        String info = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\nmodel\t\t: 2\nmodel name\t: AMD EPYC\n\n"
                + "processor\t: 1\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 85\n";
        assertEquals(ZEN5, CpuIdentity.parse(info));
        assertEquals(CpuIdentity.UNKNOWN, CpuIdentity.parse("no such lines\n"));
        assertEquals("Zen 5, family 26 model 2", ZEN5.describe());
        assertEquals("Zen 4, family 25 model 17", ZEN4.describe());
    }

    @Test
    void zen4SplitsWideFmasOthersDoNot() {
        assertTrue(ZEN4.splitsWideFma());
        assertTrue(new CpuIdentity("AuthenticAMD", 25, 0x61).splitsWideFma());
        assertFalse(new CpuIdentity("AuthenticAMD", 25, 1).splitsWideFma()); // Zen 3
        assertFalse(ZEN5.splitsWideFma());
        assertFalse(SAPPHIRE_RAPIDS.splitsWideFma());
    }

    @Test
    void chosenByCpuAndJvm() {
        assertEquals(VectorWidth.BITS_512, VectorWidth.choose(null, ZEN5, 512).width());
        assertEquals("cpu vectors: 512-bit, 6-row kernels (Zen 5, family 26 model 2)",
                VectorWidth.choose(null, ZEN5, 512).describe());
        assertEquals(VectorWidth.BITS_512, VectorWidth.choose("", SAPPHIRE_RAPIDS, 512).width());
        VectorWidth.Choice zen4 = VectorWidth.choose(null, ZEN4, 512);
        assertEquals(VectorWidth.BITS_512, zen4.width());
        assertEquals("cpu vectors: 512-bit, 6-row kernels (Zen 4, family 25 model 17: splits 512-bit FMAs into two "
                + "halves, 512-bit tiles still faster)", zen4.describe());
        assertEquals(VectorWidth.BITS_256, VectorWidth.choose(null, ZEN5, 256).width());
        assertEquals(VectorWidth.BITS_256, VectorWidth.choose(null, CpuIdentity.UNKNOWN, 256).width());
    }

    @Test
    void sixRowKernelsNeedTheThirtyTwoRegistersOfAJvmWith512BitVectors() {
        VectorWidth.Choice zen3 = VectorWidth.choose(null, ZEN3, 256);
        assertEquals(VectorWidth.BITS_256, zen3.width());
        assertEquals(Gemm.ROWS_16_REGISTERS, zen3.blockRows());
        assertEquals("cpu vectors: 256-bit, 5-row kernels (Zen 3, family 25 model 1; the JVM's widest float vector is "
                + "256-bit: 16 vector registers)", zen3.describe());
        assertEquals(Gemm.MR, VectorWidth.choose(null, ZEN5, 512).blockRows());
        assertEquals(Gemm.MR, VectorWidth.choose(null, ZEN4, 512).blockRows());
        // The registers belong to the JVM, not to the chosen width: 256-bit kernels on an AVX-512 JVM keep 6 rows.
        assertEquals(Gemm.MR, VectorWidth.choose("256", ZEN5, 512).blockRows());
        assertEquals(Gemm.ROWS_16_REGISTERS, VectorWidth.choose("256", ZEN5, 256).blockRows());
        assertEquals(5, VectorWidth.blockRowsFor(256));
        // A JVM without 256-bit vectors (-XX:UseAVX=0 or 1, 128-bit NEON) still gets the 256-bit kernels, but is told.
        VectorWidth.Choice narrow = VectorWidth.choose(null, CpuIdentity.UNKNOWN, 128);
        assertEquals(VectorWidth.BITS_256, narrow.width());
        assertTrue(narrow.describe().contains("the JVM's widest vector is 128-bit, below the 256 bits the kernels are "
                + "written for: some or all of their operations run emulated"), narrow.describe());
        assertEquals(6, VectorWidth.blockRowsFor(512));
    }

    @Test
    void overrideWins() {
        VectorWidth.Choice c = VectorWidth.choose("512", ZEN4, 512);
        assertEquals(VectorWidth.BITS_512, c.width());
        assertEquals(VectorWidth.BITS_256, VectorWidth.choose("256", ZEN4, 512).width());
        assertTrue(c.describe().contains("M2M100_VECTOR_BITS=512"), c.describe());
        assertEquals(VectorWidth.BITS_256, VectorWidth.choose(" 256 ", ZEN5, 512).width());
    }

    @Test
    void aBadOverrideIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VectorWidth.choose("384", ZEN5, 512));
        assertEquals("M2M100_VECTOR_BITS='384' is not a vector width: expected 256 or 512", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> VectorWidth.choose("avx512", ZEN5, 512));
        IllegalArgumentException tooWide = assertThrows(IllegalArgumentException.class,
                () -> VectorWidth.choose("512", CpuIdentity.UNKNOWN, 256));
        assertTrue(tooWide.getMessage().startsWith("M2M100_VECTOR_BITS=512, but this JVM's widest float vector"),
                tooWide.getMessage());
    }
}
