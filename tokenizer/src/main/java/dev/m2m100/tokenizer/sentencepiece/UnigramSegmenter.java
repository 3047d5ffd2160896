package dev.m2m100.tokenizer.sentencepiece;

import dev.m2m100.tokenizer.sentencepiece.proto.SentencePieceModelProtos.ModelProto.SentencePiece.Type;

/**
 * Unigram segmentation as SentencePiece's optimized Viterbi (unigram::Model::EncodeOptimized): for each
 * character position, try every piece starting there (shortest first, a later candidate replaces the
 * best only when strictly better), and fall back to one unknown character scored min_score - 10.
 * User-defined pieces score {@code length * max_score - 0.1}; UNUSED pieces are never chosen.
 */
final class UnigramSegmenter implements Segmenter {

    private static final float UNK_PENALTY = 10.0f;

    private final Vocabulary vocab;
    private final float unkScore;
    private final float maxScore;

    UnigramSegmenter(Vocabulary vocab) {
        this.vocab = vocab;
        float min = Float.MAX_VALUE;
        float max = Float.MIN_VALUE;  // as the C++ code (FLT_MIN, the smallest positive float)
        for (int i = 0; i < vocab.size(); i++) {
            if (vocab.types[i] == Type.NORMAL) {
                min = Math.min(min, vocab.scores[i]);
                max = Math.max(max, vocab.scores[i]);
            }
        }
        this.unkScore = min - UNK_PENALTY;
        this.maxScore = max;
    }

    @Override
    public void segment(byte[] text, Segments out) {
        int n = text.length;
        if (n == 0) {
            return;
        }
        float[] bestScore = new float[n + 1];
        int[] bestStart = new int[n + 1];
        int[] bestId = new int[n + 1];
        java.util.Arrays.fill(bestStart, -1);
        int maxLen = vocab.segmentable.maxKeyLength();
        for (int startsAt = 0; startsAt < n; ) {
            float here = bestScore[startsAt];
            int charLen = Utf8.charLength(text, startsAt, n);
            boolean hasSingle = false;
            int limit = Math.min(n - startsAt, maxLen);
            for (int length = 1; length <= limit; length++) {
                int id = vocab.segmentable.get(text, startsAt, length);
                if (id < 0 || vocab.types[id] == Type.UNUSED) {
                    continue;
                }
                // The C++ expression mixes in the double literal 0.1, so the sum is a double
                // compared against the stored float, then stored back as a float.
                double score = vocab.types[id] == Type.USER_DEFINED
                        ? (length * maxScore - 0.1) : vocab.scores[id];
                double candidate = score + here;
                int end = startsAt + length;
                if (bestStart[end] == -1 || candidate > bestScore[end]) {
                    bestScore[end] = (float) candidate;
                    bestStart[end] = startsAt;
                    bestId[end] = id;
                }
                if (length == charLen) {
                    hasSingle = true;
                }
            }
            if (!hasSingle) {
                int end = startsAt + charLen;
                float candidate = unkScore + here;
                if (bestStart[end] == -1 || candidate > bestScore[end]) {
                    bestScore[end] = candidate;
                    bestStart[end] = startsAt;
                    bestId[end] = vocab.unkId;
                }
            }
            startsAt += charLen;
        }
        // Backtrack, then emit in text order.
        int count = 0;
        for (int end = n; end > 0; end = bestStart[end]) {
            count++;
        }
        int[] ends = new int[count];
        int k = count;
        for (int end = n; end > 0; end = bestStart[end]) {
            ends[--k] = end;
        }
        for (int end : ends) {
            out.add(bestStart[end], end, bestId[end]);
        }
    }
}
