/**
 * The M2M100 tokenizer: {@link dev.m2m100.tokenizer.M2M100Tokenizer} reproduces Hugging Face's slow
 * {@code M2M100Tokenizer} (transformers 4.43) token for token over a model folder, on top of the
 * pure-Java SentencePiece in {@link dev.m2m100.tokenizer.sentencepiece}.
 *
 * <p>Pinned by {@code testdata/m2m100-tiny/reference/tokenizer.json} and {@code model.json}; the
 * SentencePiece layer is checked against the C++ library's own output (golden files under
 * {@code tokenizer/src/test/resources/spm}).
 */
package dev.m2m100.tokenizer;
