package dev.m2m100.server;

import java.util.Map;
import java.util.Optional;

/** English names of the 100 M2M100 language codes, for {@code GET /languages}. */
final class LanguageNames {
    private static final Map<String, String> NAMES = Map.<String, String>ofEntries(
            Map.entry("af", "Afrikaans"), Map.entry("am", "Amharic"), Map.entry("ar", "Arabic"),
            Map.entry("ast", "Asturian"), Map.entry("az", "Azerbaijani"), Map.entry("ba", "Bashkir"),
            Map.entry("be", "Belarusian"), Map.entry("bg", "Bulgarian"), Map.entry("bn", "Bengali"),
            Map.entry("br", "Breton"), Map.entry("bs", "Bosnian"), Map.entry("ca", "Catalan"),
            Map.entry("ceb", "Cebuano"), Map.entry("cs", "Czech"), Map.entry("cy", "Welsh"),
            Map.entry("da", "Danish"), Map.entry("de", "German"), Map.entry("el", "Greek"),
            Map.entry("en", "English"), Map.entry("es", "Spanish"), Map.entry("et", "Estonian"),
            Map.entry("fa", "Persian"), Map.entry("ff", "Fulah"), Map.entry("fi", "Finnish"),
            Map.entry("fr", "French"), Map.entry("fy", "Western Frisian"), Map.entry("ga", "Irish"),
            Map.entry("gd", "Scottish Gaelic"), Map.entry("gl", "Galician"), Map.entry("gu", "Gujarati"),
            Map.entry("ha", "Hausa"), Map.entry("he", "Hebrew"), Map.entry("hi", "Hindi"),
            Map.entry("hr", "Croatian"), Map.entry("ht", "Haitian Creole"), Map.entry("hu", "Hungarian"),
            Map.entry("hy", "Armenian"), Map.entry("id", "Indonesian"), Map.entry("ig", "Igbo"),
            Map.entry("ilo", "Iloko"), Map.entry("is", "Icelandic"), Map.entry("it", "Italian"),
            Map.entry("ja", "Japanese"), Map.entry("jv", "Javanese"), Map.entry("ka", "Georgian"),
            Map.entry("kk", "Kazakh"), Map.entry("km", "Khmer"), Map.entry("kn", "Kannada"),
            Map.entry("ko", "Korean"), Map.entry("lb", "Luxembourgish"), Map.entry("lg", "Ganda"),
            Map.entry("ln", "Lingala"), Map.entry("lo", "Lao"), Map.entry("lt", "Lithuanian"),
            Map.entry("lv", "Latvian"), Map.entry("mg", "Malagasy"), Map.entry("mk", "Macedonian"),
            Map.entry("ml", "Malayalam"), Map.entry("mn", "Mongolian"), Map.entry("mr", "Marathi"),
            Map.entry("ms", "Malay"), Map.entry("my", "Burmese"), Map.entry("ne", "Nepali"),
            Map.entry("nl", "Dutch"), Map.entry("no", "Norwegian"), Map.entry("ns", "Northern Sotho"),
            Map.entry("oc", "Occitan"), Map.entry("or", "Oriya"), Map.entry("pa", "Punjabi"),
            Map.entry("pl", "Polish"), Map.entry("ps", "Pashto"), Map.entry("pt", "Portuguese"),
            Map.entry("ro", "Romanian"), Map.entry("ru", "Russian"), Map.entry("sd", "Sindhi"),
            Map.entry("si", "Sinhala"), Map.entry("sk", "Slovak"), Map.entry("sl", "Slovenian"),
            Map.entry("so", "Somali"), Map.entry("sq", "Albanian"), Map.entry("sr", "Serbian"),
            Map.entry("ss", "Swati"), Map.entry("su", "Sundanese"), Map.entry("sv", "Swedish"),
            Map.entry("sw", "Swahili"), Map.entry("ta", "Tamil"), Map.entry("th", "Thai"),
            Map.entry("tl", "Tagalog"), Map.entry("tn", "Tswana"), Map.entry("tr", "Turkish"),
            Map.entry("uk", "Ukrainian"), Map.entry("ur", "Urdu"), Map.entry("uz", "Uzbek"),
            Map.entry("vi", "Vietnamese"), Map.entry("wo", "Wolof"), Map.entry("xh", "Xhosa"),
            Map.entry("yi", "Yiddish"), Map.entry("yo", "Yoruba"), Map.entry("zh", "Chinese"),
            Map.entry("zu", "Zulu"));

    private LanguageNames() {}

    static Optional<String> of(String code) {
        return Optional.ofNullable(NAMES.get(code));
    }

    static int size() {
        return NAMES.size();
    }
}
