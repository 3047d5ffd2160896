package dev.m2m100.server.text;

import java.util.List;

/**
 * A text cut into the pieces the model translates, with every character between them kept: {@code lead},
 * then {@code pieces[0]}, {@code separators[0]}, {@code pieces[1]}, …, then {@code trail}. Concatenating
 * them in that order gives back the text exactly. Pieces never start or end with whitespace; separators,
 * lead and trail are whitespace only (possibly empty).
 *
 * @param lead       whitespace before the first piece (the whole text when it is blank)
 * @param pieces     sentences (or parts of an over-long sentence), in order; empty for a blank text
 * @param separators the whitespace between consecutive pieces ({@code pieces.size() - 1} of them)
 * @param trail      whitespace after the last piece
 */
public record Segments(String lead, List<String> pieces, List<String> separators, String trail) {

    public Segments {
        pieces = List.copyOf(pieces);
        separators = List.copyOf(separators);
        if (separators.size() != Math.max(0, pieces.size() - 1)) {
            throw new IllegalArgumentException(pieces.size() + " pieces need " + Math.max(0, pieces.size() - 1)
                    + " separators, got " + separators.size());
        }
    }

    /** A text with nothing to translate: it passes through as it is. */
    static Segments blank(String text) {
        return new Segments(text, List.of(), List.of(), "");
    }

    /** The source text again (lead, pieces and separators, trail). */
    public String text() {
        StringBuilder sb = new StringBuilder(lead);
        for (int i = 0; i < pieces.size(); i++) {
            if (i > 0) {
                sb.append(separators.get(i - 1));
            }
            sb.append(pieces.get(i));
        }
        return sb.append(trail).toString();
    }
}
