package dev.m2m100.engine.language;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A model's languages: its own codes in its order, their English names, and the one resolver that turns what a
 * client writes into one of those codes. Every way in (the HTTP APIs, the text layer, detection, the command line)
 * resolves through here, so {@code EN}, {@code en-US}, {@code eng_Latn}, {@code zh-TW} mean the same on every path.
 *
 * <p>Resolution: the model's own code, case-insensitively; otherwise the request is read as a BCP-47 tag (or an
 * NLLB-style {@code lang_Script} code) and matched by language ({@link LanguageKeys}: ISO 639-1 and 639-3 meet,
 * and the standard variety of a macrolanguage stands for it, so {@code en} finds {@code eng_Latn} and
 * {@code eng_Latn} finds {@code en}), then by script when the request names one or the model has the language in
 * several scripts (region → script for Chinese, else the language's usual script). Anything still ambiguous or
 * unknown is not resolved. Immutable.
 */
public final class LanguageTable {

    /** One language of the model. */
    public record Language(String code, String name) {}

    private final List<Language> languages;
    private final List<String> codes;
    private final Map<String, String> codeByLowerCase;
    private final Map<String, String> nameByCode;
    private final Map<String, List<Tag>> byKey;

    private LanguageTable(List<Language> languages) {
        this.languages = List.copyOf(languages);
        List<String> c = new ArrayList<>();
        Map<String, String> lower = new HashMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        Map<String, List<Tag>> keys = new HashMap<>();
        for (Language l : this.languages) {
            if (names.put(l.code(), l.name()) != null) {
                throw new IllegalArgumentException("language code '" + l.code() + "' listed twice");
            }
            c.add(l.code());
            lower.put(l.code().toLowerCase(Locale.ROOT), l.code());
            Tag tag = Tag.parse(l.code());
            if (tag != null) {
                keys.computeIfAbsent(tag.key(), k -> new ArrayList<>()).add(tag.withCode(l.code()));
            }
        }
        this.codes = List.copyOf(c);
        this.codeByLowerCase = Map.copyOf(lower);
        this.nameByCode = names;
        this.byKey = keys;
    }

    public static LanguageTable of(List<Language> languages) {
        return new LanguageTable(languages);
    }

    /** An empty table (an engine that only works on token ids). */
    public static LanguageTable empty() {
        return new LanguageTable(List.of());
    }

    /** The model's codes, in its order. */
    public List<String> codes() {
        return codes;
    }

    /** The model's languages with their names, in its order. */
    public List<Language> languages() {
        return languages;
    }

    /** The English name of one of the model's codes (the code itself when no name is known). */
    public String name(String code) {
        String name = nameByCode.get(code);
        return name == null || name.isBlank() ? code : name;
    }

    /** The model's code for what a client wrote, empty when there is none or more than one. */
    public Optional<String> resolve(String requested) {
        if (requested == null) {
            return Optional.empty();
        }
        String trimmed = requested.strip();
        String exact = codeByLowerCase.get(trimmed.toLowerCase(Locale.ROOT));
        if (exact != null) {
            return Optional.of(exact);
        }
        Tag want = Tag.parse(trimmed);
        if (want == null) {
            return Optional.empty();
        }
        List<Tag> candidates = byKey.getOrDefault(want.key(), List.of());
        if (want.script() != null) {
            candidates = candidates.stream().filter(t -> t.script() == null || t.script().equals(want.script())).toList();
        }
        if (candidates.size() > 1) {
            String script = want.script() != null ? want.script() : LanguageKeys.usualScript(want.key(), want.region());
            candidates = candidates.stream().filter(t -> t.script() != null && t.script().equals(script)).toList();
        }
        return candidates.size() == 1 ? Optional.of(candidates.getFirst().code()) : Optional.empty();
    }

    /** A language code read as language, script and region; {@code code} is set on the model's own codes. */
    private record Tag(String key, String script, String region, String code) {
        private static final Pattern SEPARATOR = Pattern.compile("[-_]");
        private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}");
        private static final Pattern SCRIPT = Pattern.compile("[A-Za-z]{4}");
        private static final Pattern REGION = Pattern.compile("[A-Za-z]{2}|[0-9]{3}");

        Tag withCode(String c) {
            return new Tag(key, script, region, c);
        }

        /** {@code en}, {@code en-US}, {@code zh_Hant_TW}, {@code eng_Latn}, {@code pt-BR-x-foo}; null if not a tag. */
        static Tag parse(String s) {
            String[] parts = SEPARATOR.split(s);
            if (parts.length == 0) {
                return null; // only separators ("-", "__"): split drops the empty parts
            }
            String language = parts[0].toLowerCase(Locale.ROOT);
            if (!LANGUAGE.matcher(language).matches()) {
                return null;
            }
            String key = LanguageKeys.key(language);
            if (key == null) {
                return null;
            }
            String script = null;
            String region = null;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i];
                if (p.length() == 1) {
                    break; // an extension or private use: the rest does not name the language
                }
                if (script == null && region == null && SCRIPT.matcher(p).matches()) {
                    script = Character.toUpperCase(p.charAt(0)) + p.substring(1).toLowerCase(Locale.ROOT);
                } else if (region == null && REGION.matcher(p).matches()) {
                    region = p.toUpperCase(Locale.ROOT);
                }
            }
            return new Tag(key, script, region, null);
        }
    }
}
