package dev.m2m100.engine.language;

import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Set;

/**
 * Where ISO 639 codes meet: every language subtag becomes one key (an ISO 639-3 code), so that M2M100's
 * {@code en} and NLLB's {@code eng_Latn} (and a client's {@code EN}, {@code eng}, {@code en-GB}) are the same
 * language. The standard variety that NLLB names (Standard Arabic {@code arb}, Western Persian {@code pes}, …)
 * stands for its macrolanguage ({@code ar}, {@code fa}, …); other varieties (Egyptian Arabic {@code arz}, Dari
 * {@code prs}, …) keep their own key and are reached only by their own code.
 */
final class LanguageKeys {

    /** NLLB's standard individual language → the macrolanguage that ISO 639-1 names. */
    private static final Map<String, String> MACRO = Map.ofEntries(
            Map.entry("arb", "ara"), Map.entry("pes", "fas"), Map.entry("zsm", "msa"), Map.entry("lvs", "lav"),
            Map.entry("swh", "swa"), Map.entry("uzn", "uzb"), Map.entry("khk", "mon"), Map.entry("npi", "nep"),
            Map.entry("nob", "nor"), Map.entry("ory", "ori"), Map.entry("pbt", "pus"), Map.entry("azj", "aze"),
            Map.entry("als", "sqi"), Map.entry("quy", "que"), Map.entry("gaz", "orm"), Map.entry("kmr", "kur"),
            Map.entry("ydd", "yid"), Map.entry("plt", "mlg"), Map.entry("fuv", "ful"), Map.entry("knc", "kau"),
            Map.entry("ekk", "est"), Map.entry("cmn", "zho"), Map.entry("ayr", "aym"));

    /** ISO 639-2/B codes (still common in library catalogues) → the 639-3 codes the models use. */
    private static final Map<String, String> BIBLIOGRAPHIC = Map.ofEntries(
            Map.entry("alb", "sqi"), Map.entry("arm", "hye"), Map.entry("baq", "eus"), Map.entry("bur", "mya"),
            Map.entry("chi", "zho"), Map.entry("cze", "ces"), Map.entry("dut", "nld"), Map.entry("fre", "fra"),
            Map.entry("geo", "kat"), Map.entry("ger", "deu"), Map.entry("gre", "ell"), Map.entry("ice", "isl"),
            Map.entry("mac", "mkd"), Map.entry("mao", "mri"), Map.entry("may", "msa"), Map.entry("per", "fas"),
            Map.entry("rum", "ron"), Map.entry("slo", "slk"), Map.entry("tib", "bod"), Map.entry("wel", "cym"));

    /** Two-letter codes that are not ISO 639-1 but that a model uses: M2M100 writes Northern Sotho as "ns". */
    private static final Map<String, String> NONSTANDARD = Map.of("ns", "nso");

    /** Chinese in these regions is written in traditional characters (CLDR likely subtags). */
    private static final Set<String> TRADITIONAL_CHINESE_REGIONS = Set.of("TW", "HK", "MO");

    /** The usual script of languages that NLLB has in more than one script (CLDR likely subtags). */
    private static final Map<String, String> USUAL_SCRIPT = Map.of(
            "zho", "Hans", "ace", "Latn", "bjn", "Latn", "kas", "Arab", "kau", "Latn", "taq", "Latn", "min", "Latn");

    private LanguageKeys() {
    }

    /** The key of a lower-case 2- or 3-letter language subtag; null when it is no language. */
    static String key(String subtag) {
        String three;
        if (subtag.length() == 2) {
            three = NONSTANDARD.get(subtag);
            if (three == null) {
                three = iso3(subtag);
            }
            if (three == null) {
                return null;
            }
        } else {
            three = BIBLIOGRAPHIC.getOrDefault(subtag, subtag);
        }
        return MACRO.getOrDefault(three, three);
    }

    /** The script to pick for a language with several, given the region of the request (may be null). */
    static String usualScript(String key, String region) {
        if (key.equals("zho") && region != null && TRADITIONAL_CHINESE_REGIONS.contains(region)) {
            return "Hant";
        }
        return USUAL_SCRIPT.get(key);
    }

    /** ISO 639-1 → 639-3 ("en" → "eng", "he" → "heb"); null for a code Java does not know. */
    private static String iso3(String two) {
        try {
            String three = Locale.of(two).getISO3Language();
            return three.isEmpty() ? null : three;
        } catch (MissingResourceException e) {
            return null;
        }
    }
}
