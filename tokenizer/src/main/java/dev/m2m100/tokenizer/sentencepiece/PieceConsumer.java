package dev.m2m100.tokenizer.sentencepiece;

/** Receives encoded pieces without materialising Strings: a byte range of the normalized text and an id. */
@FunctionalInterface
public interface PieceConsumer {

    /**
     * @param normalized the normalized UTF-8 text (do not modify)
     * @param start      first byte of the piece
     * @param end        one past its last byte
     * @param id         SentencePiece id (the unknown id for unknown text, whose piece is the text itself)
     */
    void accept(byte[] normalized, int start, int end, int id);
}
