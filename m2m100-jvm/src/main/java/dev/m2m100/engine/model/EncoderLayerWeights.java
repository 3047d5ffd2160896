package dev.m2m100.engine.model;

/** One pre-layernorm encoder layer: self-attention, then the feed-forward network. */
public record EncoderLayerWeights(
        NormWeights selfAttnNorm,
        AttentionWeights selfAttn,
        NormWeights ffnNorm,
        LinearWeights fc1,
        LinearWeights fc2) {}
