package dev.m2m100.tokenizer.sentencepiece;

/** Splits normalized text into pieces (one implementation per SentencePiece model type). */
interface Segmenter {

    /** Appends the pieces of {@code normalized} to {@code out}, in order, covering every byte. */
    void segment(byte[] normalized, Segments out);
}
