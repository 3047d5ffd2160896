package dev.m2m100.engine.model;

/** The sizes of one transformer stack: model width {@code d}, attention heads, feed-forward width. */
record StackShape(int d, int heads, int ffn) {

    StackShape {
        if (d < 1 || heads < 1 || ffn < 1 || d % heads != 0) {
            throw new IllegalArgumentException("bad stack shape: d " + d + ", " + heads + " heads, ffn " + ffn);
        }
    }

    /** {@code 1/sqrt(head size)}, the scale of the attention scores. */
    float attentionScale() {
        return (float) Math.pow(d / heads, -0.5);
    }
}
