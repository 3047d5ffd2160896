package dev.m2m100.engine.backend.cpu.gemm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU this process runs on, as {@code /proc/cpuinfo} names it (x86 vendor, family, model; family and model
 * -1 where unknown). Only what the vector-width choice needs: whether the cores split 512-bit FMAs.
 */
public record CpuIdentity(String vendor, int family, int model) {

    public static final CpuIdentity UNKNOWN = new CpuIdentity("unknown", -1, -1);

    /** Reads {@code /proc/cpuinfo}; {@link #UNKNOWN} where it cannot be read (not Linux, no procfs). */
    public static CpuIdentity current() {
        try {
            return parse(Files.readString(Path.of("/proc/cpuinfo")));
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        }
    }

    /** The first processor's {@code vendor_id}, {@code cpu family} and {@code model} lines. */
    static CpuIdentity parse(String cpuinfo) {
        String vendor = null;
        int family = -1;
        int model = -1;
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                if (line.isBlank() && vendor != null) {
                    break; // end of the first processor's block
                }
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "vendor_id" -> vendor = value;
                case "cpu family" -> family = parseInt(value);
                case "model" -> model = parseInt(value);
                default -> { }
            }
        }
        return vendor == null && family < 0 ? UNKNOWN : new CpuIdentity(vendor == null ? "unknown" : vendor, family, model);
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private boolean amd() {
        return "AuthenticAMD".equals(vendor);
    }

    /**
     * Zen 4 (AMD family 25, models 0x10–0x1f, 0x60–0x7f, 0xa0–0xaf): AVX-512 executed as two 256-bit halves, so
     * the FMA peak is the same at both widths (the 512-bit kernels are still faster there: fewer loads and broadcasts
     * per FMA; see {@link VectorWidth}). The other family-25 models are Zen 3, without AVX-512.
     */
    public boolean splitsWideFma() {
        return amd() && family == 25 && (model >= 0x10 && model <= 0x1f || model >= 0x60 && model <= 0x7f
                || model >= 0xa0 && model <= 0xaf);
    }

    /** E.g. "Zen 4, family 25 model 17", "GenuineIntel family 6 model 143". */
    public String describe() {
        if (this.equals(UNKNOWN)) {
            return "cpu unknown";
        }
        String name = amd() ? switch (family) {
            case 23 -> "Zen/Zen 2";
            case 25 -> splitsWideFma() ? "Zen 4" : "Zen 3";
            case 26 -> "Zen 5";
            default -> "AMD";
        } : vendor;
        return name + (amd() ? ", " : " ") + "family " + family + " model " + model;
    }
}
