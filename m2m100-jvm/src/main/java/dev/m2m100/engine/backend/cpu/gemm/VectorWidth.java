package dev.m2m100.engine.backend.cpu.gemm;

import java.util.Map;
import jdk.incubator.vector.FloatVector;

/**
 * Width of the GEMM micro-kernels for calls of more than one row block (compact formats are widened to f32
 * blocks for the 512-bit ones); GEMV and smaller calls always use 256-bit kernels. The two widths' kernels share no
 * JDK vector call site that C2 profiles (see {@code GemmWidthIsolationTest}). Chosen once per process, one width for
 * every weight format ({@link #processDefault}): 512-bit where the JVM has 512-bit vectors, Zen 4 included (it splits
 * 512-bit FMAs into two halves, but the 512-bit tiles need half the loads and broadcasts per FMA, and every format
 * measured faster there); 256-bit without 512-bit vectors; {@value #VARIABLE}=256|512 overrides. One width per
 * process also keeps the 256-bit path's FloatVector reinterprets (int8 widening) out of processes that run the
 * 512-bit kernels ({@code Gemm.widenInt8Wide}). Both widths run the same FMA chain per output element, so results
 * are bit-identical whichever is chosen.
 */
public enum VectorWidth {
    BITS_256(256),
    BITS_512(512);

    /** The environment variable that overrides the choice. */
    public static final String VARIABLE = "M2M100_VECTOR_BITS";

    private final int bits;

    VectorWidth(int bits) {
        this.bits = bits;
    }

    public int bits() {
        return bits;
    }

    /** The width, the most rows per micro-kernel ({@link #blockRowsFor}), and why they were chosen. */
    public record Choice(VectorWidth width, int blockRows, String reason) {
        /** A width with this JVM's rows per micro-kernel. */
        public static Choice of(VectorWidth width, String reason) {
            return new Choice(width, blockRowsFor(jvmMaxBits()), reason);
        }

        /** E.g. "cpu vectors: 512-bit, 6-row kernels (Zen 5, family 26 model 2)", for the log line. */
        public String describe() {
            return "cpu vectors: " + width.bits + "-bit, " + blockRows + "-row kernels (" + reason + ")";
        }
    }

    /**
     * The choice for a CPU, the JVM's widest float vector in bits, and the override (null or blank: none).
     *
     * @throws IllegalArgumentException naming {@value #VARIABLE} when the override is not 256 or 512, or asks for
     *                                  512 bits where the JVM has no 512-bit vectors (they would run emulated)
     */
    public static Choice choose(String override, CpuIdentity cpu, int jvmMaxBits) {
        String cpuText = cpu.describe();
        int rows = blockRowsFor(jvmMaxBits);
        if (override != null && !override.isBlank()) {
            String v = override.strip();
            VectorWidth w = switch (v) {
                case "256" -> BITS_256;
                case "512" -> BITS_512;
                default -> throw new IllegalArgumentException(VARIABLE + "='" + override
                        + "' is not a vector width: expected 256 or 512");
            };
            if (w.bits > jvmMaxBits) {
                throw new IllegalArgumentException(VARIABLE + "=512, but this JVM's widest float vector on this CPU is "
                        + jvmMaxBits + "-bit (" + cpuText + "): expected 256");
            }
            return new Choice(w, rows, VARIABLE + "=" + v + "; " + cpuText);
        }
        if (runsEmulated(jvmMaxBits)) {
            // There are no narrower kernels: the 256-bit ones still give the same bits, partly or wholly emulated
            // (with -XX:UseAVX=1 f32 kept its speed on a Zen 3, bf16 and int8 ran ~100x slower; with UseAVX=0 all did).
            return new Choice(BITS_256, rows, cpuText + "; the JVM's widest vector is " + jvmMaxBits
                    + "-bit, below the 256 bits the kernels are written for: some or all of their operations run "
                    + "emulated, far slower than on an AVX2 machine");
        }
        if (jvmMaxBits < 512) {
            return new Choice(BITS_256, rows, cpuText + "; the JVM's widest float vector is " + jvmMaxBits
                    + "-bit: 16 vector registers");
        }
        if (cpu.splitsWideFma()) {
            // Same FMA peak at both widths here, but the 512-bit tiles need half the loads and broadcasts per FMA: f32
            // case c 2-16 % faster; bf16 b 4-16 % (5 of 5 pairs); f16 c and int8 c (once its widening no longer went
            // through a FloatVector reinterpret) faster too. docs/PERFORMANCE.md, "Zen 4 again".
            return new Choice(BITS_512, rows, cpuText + ": splits 512-bit FMAs into two halves, 512-bit tiles still "
                    + "faster");
        }
        return new Choice(BITS_512, rows, cpuText);
    }

    /**
     * The most rows per micro-kernel for a JVM whose widest float vector has {@code jvmMaxBits} bits:
     * {@link Gemm#MR} where it has 512-bit vectors, i.e. AVX-512 encodings and 32 vector registers (whatever width
     * the kernels run at), {@link Gemm#ROWS_16_REGISTERS} with 16 registers (AVX2), where 6-row kernels spill.
     */
    public static int blockRowsFor(int jvmMaxBits) {
        return jvmMaxBits >= 512 ? Gemm.MR : Gemm.ROWS_16_REGISTERS;
    }

    /** Whether the 256-bit kernels run partly or wholly emulated on a JVM whose widest vector has these bits. */
    private static boolean runsEmulated(int jvmMaxBits) {
        return jvmMaxBits < 256;
    }

    private static int jvmMaxBits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }

    /** The choice for this machine under the override in {@code env} (normally {@code System.getenv()}). */
    public static Choice fromEnvironment(Map<String, String> env) {
        return choose(env.get(VARIABLE), CpuIdentity.current(), jvmMaxBits());
    }

    /**
     * This process's width: decided and logged once, on first use. A bad {@value #VARIABLE} fails here (the command
     * line checks it first with {@link #fromEnvironment}, to exit with a usage error).
     */
    public static VectorWidth processDefault() {
        return ProcessChoice.CHOICE.width();
    }

    /** This process's choice with its reason. */
    public static Choice processChoice() {
        return ProcessChoice.CHOICE;
    }

    /** Holder: the static final constant is decided when first needed, once. */
    private static final class ProcessChoice {
        static final Choice CHOICE = fromEnvironment(System.getenv());

        static {
            System.Logger.Level level = runsEmulated(jvmMaxBits()) ? System.Logger.Level.WARNING
                    : System.Logger.Level.INFO;
            System.getLogger(VectorWidth.class.getName()).log(level, CHOICE.describe());
        }
    }
}
