package dev.m2m100.tools.randommodel;

import java.util.List;

/**
 * The architecture numbers of an M2M100ForConditionalGeneration checkpoint (what config.json says about shapes),
 * and the family whose tokenizer and generation defaults go with it.
 *
 * @param hubId the Hugging Face repository the shapes are from (written as {@code _name_or_path})
 */
public record Preset(String name, String hubId, PresetFamily family, int dModel, int encoderLayers,
                     int decoderLayers, int attentionHeads, int ffnDim, int vocabSize, int maxPositionEmbeddings) {

    /** facebook/m2m100_418M: 483,905,536 parameters. */
    public static final Preset M2M100_418M = new Preset("m2m100_418M", 1024, 12, 12, 16, 4096, 128112, 1024);
    /** facebook/m2m100_1.2B: 1,239,470,080 parameters. */
    public static final Preset M2M100_1_2B = new Preset("m2m100_1.2B", 1024, 24, 24, 16, 8192, 128112, 1024);
    /** facebook/nllb-200-distilled-600M: 615,073,792 parameters (256,206 ids: 256,204 used + 2 spare rows). */
    public static final Preset NLLB_600M = new Preset("nllb_600M", "facebook/nllb-200-distilled-600M",
            PresetFamily.NLLB, 1024, 12, 12, 16, 4096, 256206, 1024);
    /** facebook/nllb-200-distilled-1.3B (and nllb-200-1.3B, same shapes). */
    public static final Preset NLLB_1_3B = new Preset("nllb_1.3B", "facebook/nllb-200-distilled-1.3B",
            PresetFamily.NLLB, 1024, 24, 24, 16, 8192, 256206, 1024);
    /** facebook/nllb-200-3.3B. */
    public static final Preset NLLB_3_3B = new Preset("nllb_3.3B", "facebook/nllb-200-3.3B",
            PresetFamily.NLLB, 2048, 24, 24, 16, 8192, 256206, 1024);

    /**
     * A few MB of transformer behind the real vocabulary (so the standard benchmark workload's ids fit): for
     * trying {@code bench} and the service quickly, and for tests.
     */
    public static final Preset TINY = new Preset("tiny", 64, 2, 2, 4, 128, 128112, 1024);

    public static final List<Preset> KNOWN = List.of(M2M100_418M, M2M100_1_2B, NLLB_600M, NLLB_1_3B, NLLB_3_3B, TINY);

    /** An M2M100-family preset named after its facebook/ repository. */
    public Preset(String name, int dModel, int encoderLayers, int decoderLayers, int attentionHeads, int ffnDim,
                  int vocabSize, int maxPositionEmbeddings) {
        this(name, name.startsWith("m2m100") ? "facebook/" + name : name, PresetFamily.M2M100, dModel, encoderLayers,
                decoderLayers, attentionHeads, ffnDim, vocabSize, maxPositionEmbeddings);
    }

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

    /** By name ("m2m100_1.2B"; "m2m100_1_2B" too: '.' may be written '_') or by repository id. */
    public static Preset byName(String name) {
        for (Preset p : KNOWN) {
            if (p.name().equalsIgnoreCase(name) || p.name().replace('.', '_').equalsIgnoreCase(name)
                    || p.hubId().equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown preset '" + name + "' (known: "
                + String.join(", ", KNOWN.stream().map(Preset::name).toList()) + ")");
    }
}
