package dev.m2m100.tokenizer.sentencepiece;

import dev.m2m100.tokenizer.sentencepiece.proto.SentencePieceModelProtos.ModelProto.SentencePiece.Type;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * BPE segmentation as SentencePiece's bpe::Model::Encode: start from characters (user-defined symbols
 * kept whole and frozen), repeatedly merge the adjacent pair whose concatenation is the best-scoring
 * piece (ties: leftmost), then split any UNUSED piece back into the pieces it was merged from.
 *
 * <p>Symbols are a doubly linked list over parallel int arrays and candidate pairs live in a binary
 * heap of ints, so a call allocates a handful of arrays and no per-symbol objects.
 */
final class BpeSegmenter implements Segmenter {

    private final Vocabulary vocab;
    private final PrefixMatcher userSymbols;
    private final boolean hasUnused;

    BpeSegmenter(Vocabulary vocab, PrefixMatcher userSymbols) {
        this.vocab = vocab;
        this.userSymbols = userSymbols;
        this.hasUnused = Arrays.asList(vocab.types).contains(Type.UNUSED);
    }

    @Override
    public void segment(byte[] text, Segments out) {
        int n = text.length;
        if (n == 0) {
            return;
        }
        Work w = new Work(text, n);
        // Characters (or whole user-defined symbols) are the initial symbols.
        int count = 0;
        for (int pos = 0; pos < n; ) {
            int len = userSymbols == null ? 0 : userSymbols.longestMatch(text, pos, n);
            boolean frozen = len > 0;
            if (!frozen) {
                len = Utf8.charLength(text, pos, n);
            }
            w.start[count] = pos;
            w.len[count] = len;
            w.frozen[count] = frozen;
            w.prev[count] = count - 1;
            pos += len;
            w.next[count] = pos < n ? count + 1 : -1;
            count++;
        }
        for (int i = 1; i < count; i++) {
            w.maybeAddPair(i - 1, i);
        }
        while (w.heapSize > 0) {
            int p = w.pop();
            int left = w.pairLeft[p];
            int right = w.pairRight[p];
            // Stale if either side was merged away or grew since the pair was queued.
            if (w.len[left] == 0 || w.len[right] == 0 || w.len[left] + w.len[right] != w.pairSize[p]) {
                continue;
            }
            w.len[left] += w.len[right];
            w.next[left] = w.next[right];
            if (w.next[right] >= 0) {
                w.prev[w.next[right]] = left;
            }
            w.len[right] = 0;
            w.maybeAddPair(w.prev[left], left);
            w.maybeAddPair(left, w.next[left]);
        }
        for (int i = 0; i >= 0 && i < count; i = w.next[i]) {
            resegment(w, w.start[i], w.len[i], out);
        }
    }

    /** Emits a final symbol, splitting UNUSED pieces into the pair they were merged from. */
    private void resegment(Work w, int start, int len, Segments out) {
        int id = vocab.segmentable.get(w.text, start, len);
        if (id < 0) {
            id = vocab.pieceToId(new String(w.text, start, len, StandardCharsets.UTF_8));
        }
        if (id < 0 || vocab.types[id] != Type.UNUSED || w.revMerge == null) {
            out.add(start, start + len, id);
            return;
        }
        Integer leftLen = w.revMerge.get(new String(w.text, start, len, StandardCharsets.UTF_8));
        if (leftLen == null) {
            out.add(start, start + len, id);
            return;
        }
        resegment(w, start, leftLen, out);
        resegment(w, start + leftLen, len - leftLen, out);
    }

    /** Per-call state: symbol list and pair heap. */
    private final class Work {
        final byte[] text;
        final int[] start;
        final int[] len;
        final int[] prev;
        final int[] next;
        final boolean[] frozen;
        // Candidate pairs.
        float[] pairScore;
        int[] pairLeft;
        int[] pairRight;
        int[] pairSize;
        int pairCount;
        int[] heap;
        long[] heapKey;
        int heapSize;
        final Map<String, Integer> revMerge;  // UNUSED piece -> byte length of its left part

        Work(byte[] text, int n) {
            this.text = text;
            start = new int[n];
            len = new int[n];
            prev = new int[n];
            next = new int[n];
            frozen = new boolean[n];
            int cap = Math.max(16, n * 2);
            pairScore = new float[cap];
            pairLeft = new int[cap];
            pairRight = new int[cap];
            pairSize = new int[cap];
            heap = new int[cap];
            heapKey = new long[cap];
            revMerge = hasUnused ? new HashMap<>() : null;
        }

        void maybeAddPair(int left, int right) {
            if (left < 0 || right < 0 || frozen[left] || frozen[right]) {
                return;
            }
            int size = len[left] + len[right];
            int id = vocab.segmentable.get(text, start[left], size);
            if (id < 0) {
                return;
            }
            if (pairCount == pairScore.length) {
                int cap = pairCount * 2;
                pairScore = Arrays.copyOf(pairScore, cap);
                pairLeft = Arrays.copyOf(pairLeft, cap);
                pairRight = Arrays.copyOf(pairRight, cap);
                pairSize = Arrays.copyOf(pairSize, cap);
                heap = Arrays.copyOf(heap, cap);
                heapKey = Arrays.copyOf(heapKey, cap);
            }
            int p = pairCount++;
            pairScore[p] = vocab.scores[id];
            pairLeft[p] = left;
            pairRight[p] = right;
            pairSize[p] = size;
            push(p);
            if (revMerge != null && vocab.types[id] == Type.UNUSED) {
                revMerge.put(new String(text, start[left], size, StandardCharsets.UTF_8), len[left]);
            }
        }

        /**
         * Heap key: higher score first, then smaller left index, packed into one long so the heap
         * compares keys without chasing pair indices. The score's bits are mapped to an int whose
         * signed order is the float order (-0.0 folded into 0.0 so they tie as in C++).
         */
        private long key(int p) {
            float score = pairScore[p] == 0.0f ? 0.0f : pairScore[p];
            int bits = Float.floatToRawIntBits(score);
            int ordered = bits ^ ((bits >> 31) & 0x7FFFFFFF);
            return ((long) ordered << 32) | (~pairLeft[p] & 0xFFFFFFFFL);
        }

        void push(int p) {
            long k = key(p);
            int i = heapSize++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (heapKey[parent] >= k) {
                    break;
                }
                heap[i] = heap[parent];
                heapKey[i] = heapKey[parent];
                i = parent;
            }
            heap[i] = p;
            heapKey[i] = k;
        }

        int pop() {
            int top = heap[0];
            int last = heap[--heapSize];
            long lastKey = heapKey[heapSize];
            int i = 0;
            while (true) {
                int c = 2 * i + 1;
                if (c >= heapSize) {
                    break;
                }
                if (c + 1 < heapSize && heapKey[c + 1] > heapKey[c]) {
                    c++;
                }
                if (heapKey[c] <= lastKey) {
                    break;
                }
                heap[i] = heap[c];
                heapKey[i] = heapKey[c];
                i = c;
            }
            if (heapSize > 0) {
                heap[i] = last;
                heapKey[i] = lastKey;
            }
            return top;
        }
    }
}
