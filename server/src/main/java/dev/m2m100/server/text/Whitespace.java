package dev.m2m100.server.text;

/** What counts as whitespace between sentences, and which of it is a space that may be adjusted. */
final class Whitespace {
    private Whitespace() {}

    /** Spaces, tabs, line and paragraph breaks, no-break and ideographic spaces. */
    static boolean isWhitespace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
    }

    /** Index of the first non-whitespace character at or after {@code from}, or {@code to}. */
    static int skipForward(CharSequence s, int from, int to) {
        int i = from;
        while (i < to) {
            int cp = Character.codePointAt(s, i);
            if (!isWhitespace(cp)) {
                break;
            }
            i += Character.charCount(cp);
        }
        return i;
    }

    /** Index just after the last non-whitespace character before {@code to}, or {@code from}. */
    static int skipBackward(CharSequence s, int from, int to) {
        int i = to;
        while (i > from) {
            int cp = Character.codePointBefore(s, i);
            if (!isWhitespace(cp)) {
                break;
            }
            i -= Character.charCount(cp);
        }
        return i;
    }

    /**
     * True when the separator is only spaces (Unicode space separators: U+0020, no-break, ideographic …),
     * possibly none: such a separator follows the target language's convention. Anything else (a line
     * break, a tab) is structure and is kept as it is.
     */
    static boolean onlySpaces(String separator) {
        for (int i = 0; i < separator.length(); ) {
            int cp = separator.codePointAt(i);
            if (Character.getType(cp) != Character.SPACE_SEPARATOR) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }
}
