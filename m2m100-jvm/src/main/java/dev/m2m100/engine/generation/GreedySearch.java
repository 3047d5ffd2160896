package dev.m2m100.engine.generation;

import java.util.Arrays;

/** Greedy search as Hugging Face does it: the best token each step; {@code </s>} or the length limit ends it. */
public final class GreedySearch implements SequenceSearch {
    private static final int[] IDENTITY = {0};

    private final SearchSettings settings;
    private int[] tokens;
    private int length;
    private boolean done;

    GreedySearch(SearchSettings settings) {
        if (settings.numBeams() != 1) {
            throw new IllegalArgumentException("greedy search takes 1 beam, got " + settings.numBeams());
        }
        this.settings = settings;
        this.tokens = new int[Math.min(settings.maxLength(), 64)];
        this.tokens[0] = settings.decoderStartTokenId();
        this.length = 1;
    }

    @Override
    public int rowCount() {
        return 1;
    }

    @Override
    public int candidatesPerRow() {
        return 1;
    }

    @Override
    public int inputToken(int row) {
        return tokens[length - 1];
    }

    @Override
    public int representative(int row) {
        return row;
    }

    @Override
    public LogitRule rule() {
        return settings.ruleAt(length);
    }

    @Override
    public int[] advance(float[] logProbs, int[] ids, int offset, int stride) {
        if (done) {
            throw new IllegalStateException("search already finished");
        }
        int next = ids[offset];
        if (length == tokens.length) {
            tokens = Arrays.copyOf(tokens, Math.min(settings.maxLength(), 2 * tokens.length));
        }
        tokens[length++] = next;
        done = next == settings.eosTokenId() || length >= settings.maxLength();
        return IDENTITY;
    }

    @Override
    public boolean isDone() {
        return done;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public GeneratedSequence result() {
        if (!done) {
            throw new IllegalStateException("search not finished");
        }
        return new GeneratedSequence(Arrays.copyOf(tokens, length), Float.NaN);
    }
}
