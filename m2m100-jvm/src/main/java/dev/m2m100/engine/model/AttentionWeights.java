package dev.m2m100.engine.model;

/** The four projections of one multi-head attention block. */
public record AttentionWeights(LinearWeights q, LinearWeights k, LinearWeights v, LinearWeights out) {}
