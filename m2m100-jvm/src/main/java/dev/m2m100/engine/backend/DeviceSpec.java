package dev.m2m100.engine.backend;

import java.util.Locale;

/**
 * Where a model should run, parsed once from {@code --device} / {@code DEVICE}: {@code auto} (CUDA device 0 when
 * it starts and supports the weight format, else the CPU), {@code cpu}, or {@code cuda[:N]} (that CUDA device or
 * an error saying why not).
 *
 * @param kind    auto, cpu or cuda
 * @param ordinal the CUDA device number for {@link Kind#CUDA} (0 otherwise)
 */
public record DeviceSpec(Kind kind, int ordinal) {

    public enum Kind { AUTO, CPU, CUDA }

    public static final DeviceSpec AUTO = new DeviceSpec(Kind.AUTO, 0);
    public static final DeviceSpec CPU = new DeviceSpec(Kind.CPU, 0);

    /** The values {@link #parse} accepts, for usage messages. */
    public static final String CHOICES = "auto, cpu, cuda, cuda:N";

    public DeviceSpec {
        if (kind == null) {
            throw new IllegalArgumentException("device kind must be given (" + CHOICES + ")");
        }
        if (ordinal < 0 || (kind != Kind.CUDA && ordinal != 0)) {
            throw new IllegalArgumentException("device " + kind + " cannot have number " + ordinal);
        }
    }

    public static DeviceSpec cuda(int ordinal) {
        return new DeviceSpec(Kind.CUDA, ordinal);
    }

    /**
     * Parses {@code auto}, {@code cpu}, {@code cuda} (= {@code cuda:0}) or {@code cuda:N} (case-insensitive,
     * surrounding blanks ignored).
     *
     * @throws IllegalArgumentException naming the value and the choices
     */
    public static DeviceSpec parse(String text) {
        String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        switch (s) {
            case "auto":
                return AUTO;
            case "cpu":
                return CPU;
            case "cuda":
                return cuda(0);
            default:
                if (s.matches("cuda:[0-9]{1,3}")) {
                    return cuda(Integer.parseInt(s.substring(5)));
                }
                throw new IllegalArgumentException("device '" + text + "' is not one of " + CHOICES);
        }
    }

    /** The spelling {@link #parse} reads back: {@code auto}, {@code cpu} or {@code cuda:N}. */
    @Override
    public String toString() {
        return kind == Kind.CUDA ? "cuda:" + ordinal : kind.name().toLowerCase(Locale.ROOT);
    }
}
