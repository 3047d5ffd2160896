/**
 * Pure-Java SentencePiece (encode/decode parity with the C++ library 0.1.97): the model file parsed with
 * classes generated from {@code sentencepiece_model.proto}, the precompiled-charsmap
 * {@link dev.m2m100.tokenizer.sentencepiece.Normalizer}, BPE and unigram segmentation, and the
 * processor rules (unknown runs merged, decode of U+2581) in
 * {@link dev.m2m100.tokenizer.sentencepiece.SentencePieceModel}. Byte-fallback, WORD/CHAR and
 * whitespace-as-suffix models are rejected at load time with the reason.
 */
package dev.m2m100.tokenizer.sentencepiece;
