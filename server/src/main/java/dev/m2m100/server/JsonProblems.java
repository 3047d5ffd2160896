package dev.m2m100.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jackson's parse errors in plain words for the client. Jackson's own messages name library classes, feature
 * flags ({@code JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS}) and a redacted source; none of that text is passed
 * on: each known problem maps to a fixed sentence (quoting at most a short piece of the client's own input),
 * anything else to "syntax error". The caller adds line and column.
 */
final class JsonProblems {
    private static final Pattern QUOTED = Pattern.compile("'([^']{0,40})'");
    private static final Pattern CHAR_CODE = Pattern.compile("\\(code (\\d+)\\)");
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate (?:field|Object property) [\"'](.{0,80}?)[\"']$",
            Pattern.DOTALL);

    private JsonProblems() {}

    static String describe(JsonProcessingException e, StreamReadConstraints limits) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamConstraintsException sce) {
                return limit(String.valueOf(sce.getOriginalMessage()), limits);
            }
        }
        String raw = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (raw.contains("StreamReadConstraints")) {
            return limit(raw, limits);
        }
        return syntax(raw);
    }

    private static String limit(String raw, StreamReadConstraints limits) {
        if (raw.contains("NestingDepth") || raw.contains("nesting depth")) {
            return "the JSON nests deeper than " + limits.getMaxNestingDepth() + " levels";
        }
        if (raw.contains("NumberLength") || raw.startsWith("Number value length")) {
            return "a number is longer than " + limits.getMaxNumberLength() + " digits";
        }
        if (raw.contains("NameLength") || raw.startsWith("Name length")) {
            return "a key is longer than " + limits.getMaxNameLength() + " characters";
        }
        if (raw.contains("StringLength") || raw.startsWith("String value length")) {
            return "a string is longer than " + limits.getMaxStringLength() + " characters";
        }
        if (raw.contains("TokenCount") || raw.contains("Token count")) {
            return "the JSON has more than " + limits.getMaxTokenCount() + " tokens";
        }
        return "the JSON exceeds a size limit";
    }

    private static String syntax(String raw) {
        String lower = raw.toLowerCase(Locale.ROOT);
        if (lower.contains("unexpected end-of-input") || lower.contains("end-of-input")) {
            return "unexpected end of input";
        }
        if (raw.contains("NON_NUMERIC_NUMBERS") || raw.contains("'NaN'") || raw.contains("Infinity'")) {
            return "numbers must be finite (NaN and Infinity are not JSON)";
        }
        if (raw.contains("LEADING_PLUS_SIGN") || lower.contains("plus sign")) {
            return "numbers must not start with '+'";
        }
        if (raw.contains("LEADING_ZEROS") || lower.contains("leading zeroes")) {
            return "numbers must not have leading zeros";
        }
        if (raw.contains("LEADING_DECIMAL_POINT") || raw.contains("TRAILING_DECIMAL_POINT")
                || lower.contains("decimal point")) {
            return "a number needs digits on both sides of its decimal point";
        }
        if (raw.contains("ALLOW_COMMENTS") || raw.contains("ALLOW_YAML_COMMENTS") || lower.contains("comment")) {
            return "comments are not allowed in JSON";
        }
        if (raw.contains("ALLOW_SINGLE_QUOTES") || raw.contains("(''' (code 39))")) {
            return "strings and keys must use double quotes";
        }
        if (raw.contains("ALLOW_UNQUOTED_FIELD_NAMES") || lower.contains("double-quote to start field name")) {
            return "keys must be strings in double quotes";
        }
        if (raw.contains("ALLOW_UNESCAPED_CONTROL_CHARS") || lower.contains("illegal unquoted character")) {
            return "a string contains a control character that must be escaped";
        }
        if (lower.contains("unrecognized character escape") || raw.contains("BACKSLASH_ESCAPING")) {
            return "a string contains an invalid backslash escape";
        }
        if (lower.contains("unicode escape") || lower.contains("hex-digit") || lower.contains("hex digit")) {
            return "a string contains an invalid \\u escape";
        }
        if (raw.contains("ALLOW_MISSING_VALUES") || raw.contains("ALLOW_TRAILING_COMMA")) {
            return "a value is missing (extra or trailing comma)";
        }
        Matcher duplicate = DUPLICATE.matcher(raw);
        if (duplicate.find()) {
            return "duplicate key \"" + duplicate.group(1) + "\"";
        }
        if (lower.startsWith("duplicate")) {
            return "duplicate key";
        }
        if (lower.startsWith("unexpected close marker")) {
            return "a closing bracket does not match its opening bracket";
        }
        if (lower.startsWith("unrecognized token")) {
            Matcher quoted = QUOTED.matcher(raw);
            return quoted.find() ? "unrecognized token '" + quoted.group(1) + "'" : "unrecognized token";
        }
        if (lower.startsWith("unexpected character") || lower.startsWith("illegal character")
                || lower.startsWith("invalid character")) {
            Matcher code = CHAR_CODE.matcher(raw);
            return code.find() ? "unexpected character " + character(code.group(1)) : "unexpected character";
        }
        if (lower.contains("numeric value") || lower.contains("number")) {
            return "invalid number";
        }
        return "syntax error";
    }

    /** {@code 'x'} for a printable character, {@code U+000A} for anything else. */
    private static String character(String decimal) {
        int c;
        try {
            c = Integer.parseInt(decimal);
        } catch (NumberFormatException e) {
            return "";
        }
        if (c > 0x20 && c < 0x7F) {
            return "'" + (char) c + "'";
        }
        return String.format(Locale.ROOT, "U+%04X", c);
    }
}
