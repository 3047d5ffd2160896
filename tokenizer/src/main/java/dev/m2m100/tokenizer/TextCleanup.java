package dev.m2m100.tokenizer;

/** String rules of Hugging Face's slow-tokenizer decode that Java does not have built in. */
final class TextCleanup {

    private TextCleanup() {
    }

    /** {@code PreTrainedTokenizerBase.clean_up_tokenization}: drop spaces before punctuation and contractions. */
    static String cleanUpTokenization(String s) {
        return s.replace(" .", ".")
                .replace(" ?", "?")
                .replace(" !", "!")
                .replace(" ,", ",")
                .replace(" ' ", "'")
                .replace(" n't", "n't")
                .replace(" 'm", "'m")
                .replace(" 's", "'s")
                .replace(" 've", "'ve")
                .replace(" 're", "'re");
    }

    /** Python's {@code str.strip()} with no argument: strips the characters {@code str.isspace()} accepts. */
    static String pythonStrip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isPythonSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isPythonSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    /** Python's {@code str.lstrip()} with no argument. */
    static String pythonLstrip(String s) {
        int start = 0;
        while (start < s.length() && isPythonSpace(s.charAt(start))) {
            start++;
        }
        return s.substring(start);
    }

    /** Python's {@code str.rstrip()} with no argument. */
    static String pythonRstrip(String s) {
        int end = s.length();
        while (end > 0 && isPythonSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    /** Python's {@code str.isspace()} for one BMP character (no supplementary character is a space). */
    static boolean isPythonSpace(char c) {
        return switch (c) {
            case '\t', '\n', '\u000B', '\f', '\r', '\u001C', '\u001D', '\u001E', '\u001F', ' ', '\u0085', '\u00A0',
                 '\u1680', '\u2028', '\u2029', '\u202F', '\u205F', '\u3000' -> true;
            default -> c >= '\u2000' && c <= '\u200A';
        };
    }
}
