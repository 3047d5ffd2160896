package dev.m2m100.engine.backend;

/** A weight vector uploaded once: a bias, a layer norm's scale or shift. */
public interface WeightVector {

    int length();
}
