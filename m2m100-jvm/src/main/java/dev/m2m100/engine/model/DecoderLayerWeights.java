package dev.m2m100.engine.model;

/** One pre-layernorm decoder layer: causal self-attention, cross-attention, then the feed-forward network. */
public record DecoderLayerWeights(
        NormWeights selfAttnNorm,
        AttentionWeights selfAttn,
        NormWeights crossAttnNorm,
        AttentionWeights crossAttn,
        NormWeights ffnNorm,
        LinearWeights fc1,
        LinearWeights fc2) {}
