package dev.m2m100.tools.randommodel;

import java.util.ArrayList;
import java.util.List;

/**
 * The tensors Hugging Face stores for M2M100ForConditionalGeneration: the tied embedding once as
 * {@code model.shared.weight}; no lm_head, no sinusoidal position tables (they are computed).
 */
public final class M2M100Layout {

    /** How a tensor is initialised. */
    public enum Init { EMBEDDING, WEIGHT, BIAS, NORM_WEIGHT, NORM_BIAS }

    /** One stored tensor. */
    public record Entry(String name, long[] shape, Init init) {
        public long numel() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private M2M100Layout() {
    }

    public static List<Entry> tensors(Preset p) {
        List<Entry> out = new ArrayList<>();
        out.add(new Entry("model.shared.weight", new long[] {p.vocabSize(), p.dModel()}, Init.EMBEDDING));
        for (int i = 0; i < p.encoderLayers(); i++) {
            String l = "model.encoder.layers." + i + ".";
            attention(out, l + "self_attn", p.dModel());
            norm(out, l + "self_attn_layer_norm", p.dModel());
            ffn(out, l, p);
            norm(out, l + "final_layer_norm", p.dModel());
        }
        norm(out, "model.encoder.layer_norm", p.dModel());
        for (int i = 0; i < p.decoderLayers(); i++) {
            String l = "model.decoder.layers." + i + ".";
            attention(out, l + "self_attn", p.dModel());
            norm(out, l + "self_attn_layer_norm", p.dModel());
            attention(out, l + "encoder_attn", p.dModel());
            norm(out, l + "encoder_attn_layer_norm", p.dModel());
            ffn(out, l, p);
            norm(out, l + "final_layer_norm", p.dModel());
        }
        norm(out, "model.decoder.layer_norm", p.dModel());
        return out;
    }

    public static long parameterCount(Preset p) {
        return tensors(p).stream().mapToLong(Entry::numel).sum();
    }

    private static void attention(List<Entry> out, String prefix, int d) {
        for (String proj : List.of("k_proj", "v_proj", "q_proj", "out_proj")) {
            linear(out, prefix + "." + proj, d, d);
        }
    }

    private static void ffn(List<Entry> out, String layer, Preset p) {
        linear(out, layer + "fc1", p.ffnDim(), p.dModel());
        linear(out, layer + "fc2", p.dModel(), p.ffnDim());
    }

    private static void linear(List<Entry> out, String prefix, int outDim, int inDim) {
        out.add(new Entry(prefix + ".weight", new long[] {outDim, inDim}, Init.WEIGHT));
        out.add(new Entry(prefix + ".bias", new long[] {outDim}, Init.BIAS));
    }

    private static void norm(List<Entry> out, String prefix, int d) {
        out.add(new Entry(prefix + ".weight", new long[] {d}, Init.NORM_WEIGHT));
        out.add(new Entry(prefix + ".bias", new long[] {d}, Init.NORM_BIAS));
    }
}
