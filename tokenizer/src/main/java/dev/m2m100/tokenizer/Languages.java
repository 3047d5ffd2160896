package dev.m2m100.tokenizer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The 100 M2M100 languages in fairseq's official order (which fixes their token ids), with English names. */
public final class Languages {

    private static final String[][] TABLE = {
            {"af", "Afrikaans"}, {"am", "Amharic"}, {"ar", "Arabic"}, {"ast", "Asturian"},
            {"az", "Azerbaijani"}, {"ba", "Bashkir"}, {"be", "Belarusian"}, {"bg", "Bulgarian"},
            {"bn", "Bengali"}, {"br", "Breton"}, {"bs", "Bosnian"}, {"ca", "Catalan"},
            {"ceb", "Cebuano"}, {"cs", "Czech"}, {"cy", "Welsh"}, {"da", "Danish"},
            {"de", "German"}, {"el", "Greek"}, {"en", "English"}, {"es", "Spanish"},
            {"et", "Estonian"}, {"fa", "Persian"}, {"ff", "Fulah"}, {"fi", "Finnish"},
            {"fr", "French"}, {"fy", "Western Frisian"}, {"ga", "Irish"}, {"gd", "Scottish Gaelic"},
            {"gl", "Galician"}, {"gu", "Gujarati"}, {"ha", "Hausa"}, {"he", "Hebrew"},
            {"hi", "Hindi"}, {"hr", "Croatian"}, {"ht", "Haitian Creole"}, {"hu", "Hungarian"},
            {"hy", "Armenian"}, {"id", "Indonesian"}, {"ig", "Igbo"}, {"ilo", "Iloko"},
            {"is", "Icelandic"}, {"it", "Italian"}, {"ja", "Japanese"}, {"jv", "Javanese"},
            {"ka", "Georgian"}, {"kk", "Kazakh"}, {"km", "Khmer"}, {"kn", "Kannada"},
            {"ko", "Korean"}, {"lb", "Luxembourgish"}, {"lg", "Ganda"}, {"ln", "Lingala"},
            {"lo", "Lao"}, {"lt", "Lithuanian"}, {"lv", "Latvian"}, {"mg", "Malagasy"},
            {"mk", "Macedonian"}, {"ml", "Malayalam"}, {"mn", "Mongolian"}, {"mr", "Marathi"},
            {"ms", "Malay"}, {"my", "Burmese"}, {"ne", "Nepali"}, {"nl", "Dutch"},
            {"no", "Norwegian"}, {"ns", "Northern Sotho"}, {"oc", "Occitan"}, {"or", "Oriya"},
            {"pa", "Punjabi"}, {"pl", "Polish"}, {"ps", "Pashto"}, {"pt", "Portuguese"},
            {"ro", "Romanian"}, {"ru", "Russian"}, {"sd", "Sindhi"}, {"si", "Sinhala"},
            {"sk", "Slovak"}, {"sl", "Slovenian"}, {"so", "Somali"}, {"sq", "Albanian"},
            {"sr", "Serbian"}, {"ss", "Swati"}, {"su", "Sundanese"}, {"sv", "Swedish"},
            {"sw", "Swahili"}, {"ta", "Tamil"}, {"th", "Thai"}, {"tl", "Tagalog"},
            {"tn", "Tswana"}, {"tr", "Turkish"}, {"uk", "Ukrainian"}, {"ur", "Urdu"},
            {"uz", "Uzbek"}, {"vi", "Vietnamese"}, {"wo", "Wolof"}, {"xh", "Xhosa"},
            {"yi", "Yiddish"}, {"yo", "Yoruba"}, {"zh", "Chinese"}, {"zu", "Zulu"},
    };

    /** Codes in official order: the language token of {@code CODES.get(i)} has id {@code len(vocab.json) + i}. */
    public static final List<String> CODES;
    private static final Map<String, String> NAMES;

    static {
        Map<String, String> names = new LinkedHashMap<>();
        for (String[] row : TABLE) {
            names.put(row[0], row[1]);
        }
        NAMES = java.util.Collections.unmodifiableMap(names);
        CODES = List.copyOf(names.keySet());
    }

    private Languages() {
    }

    /** English name of a code, or null if it is not an M2M100 language. */
    public static String name(String code) {
        return NAMES.get(code);
    }

    /** The special token of a language code, e.g. {@code __fr__}. */
    public static String token(String code) {
        return "__" + code + "__";
    }
}
