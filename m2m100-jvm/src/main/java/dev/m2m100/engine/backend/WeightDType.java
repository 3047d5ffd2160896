package dev.m2m100.engine.backend;

import java.util.Locale;

/**
 * How weights are stored on the device, parsed once from {@code --dtype} / {@code DTYPE}. Activations, layer norms,
 * softmax and accumulation stay f32 whatever this says. Each backend maps these to its own formats and says which
 * it supports ({@link BackendChoice}).
 */
public enum WeightDType {
    /** The device's serving default: f32 on the CPU, f16 on CUDA. */
    AUTO("auto"),
    F32("f32", "fp32", "float32"),
    F16("f16", "fp16", "float16", "half"),
    BF16("bf16", "bfloat16"),
    /** Signed 8-bit with one f32 scale per output channel. */
    INT8("int8", "i8");

    /** The values {@link #parse} accepts (canonical spellings), for usage messages. */
    public static final String CHOICES = "auto, f32, f16, bf16, int8";

    private final String label;
    private final String[] aliases;

    WeightDType(String label, String... aliases) {
        this.label = label;
        this.aliases = aliases;
    }

    /**
     * Parses a dtype name, case-insensitive: {@code auto}, {@code f32}, {@code f16}, {@code bf16}, {@code int8}
     * and the usual aliases ({@code fp32}, {@code float16}, {@code i8}, …).
     *
     * @throws IllegalArgumentException naming the value and the choices
     */
    public static WeightDType parse(String text) {
        String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        for (WeightDType d : values()) {
            if (d.label.equals(s)) {
                return d;
            }
            for (String a : d.aliases) {
                if (a.equals(s)) {
                    return d;
                }
            }
        }
        throw new IllegalArgumentException("dtype '" + text + "' is not one of " + CHOICES);
    }

    /** The canonical spelling ({@code f32}, {@code int8}, …). */
    @Override
    public String toString() {
        return label;
    }
}
