package dev.m2m100.tools.randommodel;

import java.util.List;

/** The architecture numbers of an M2M100 checkpoint (what config.json says about shapes). */
public record Preset(String name, int dModel, int encoderLayers, int decoderLayers, int attentionHeads,
                     int ffnDim, int vocabSize, int maxPositionEmbeddings) {

    /** facebook/m2m100_418M: 483,905,536 parameters. */
    public static final Preset M2M100_418M = new Preset("m2m100_418M", 1024, 12, 12, 16, 4096, 128112, 1024);
    /** facebook/m2m100_1.2B. */
    public static final Preset M2M100_1_2B = new Preset("m2m100_1.2B", 1024, 24, 24, 16, 8192, 128112, 1024);

    /**
     * A few MB of transformer behind the real vocabulary (so the standard benchmark workload's ids fit): for
     * trying {@code bench} and the service quickly, and for tests.
     */
    public static final Preset TINY = new Preset("tiny", 64, 2, 2, 4, 128, 128112, 1024);

    public static final List<Preset> KNOWN = List.of(M2M100_418M, M2M100_1_2B, TINY);

    public Preset {
        if (dModel <= 0 || encoderLayers < 0 || decoderLayers < 0 || attentionHeads <= 0 || ffnDim <= 0
                || vocabSize <= 3 || maxPositionEmbeddings <= 0) {
            throw new IllegalArgumentException("preset " + name + " has a non-positive dimension");
        }
        if (dModel % attentionHeads != 0) {
            throw new IllegalArgumentException("preset " + name + ": d_model " + dModel + " not divisible by "
                    + attentionHeads + " heads");
        }
    }

    public static Preset byName(String name) {
        for (Preset p : KNOWN) {
            if (p.name().equalsIgnoreCase(name) || ("facebook/" + p.name()).equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown preset '" + name + "' (known: "
                + String.join(", ", KNOWN.stream().map(Preset::name).toList()) + ")");
    }
}
