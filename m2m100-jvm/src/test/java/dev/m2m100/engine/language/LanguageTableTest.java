package dev.m2m100.engine.language;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.m2m100.engine.family.ModelFamilies;
import dev.m2m100.engine.testing.Fixtures;
import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one resolver on both families' real language tables (from the fixtures' tokenizers). */
class LanguageTableTest {
    static LanguageTable m2m;
    static LanguageTable nllb;

    @BeforeAll
    static void load() throws IOException {
        m2m = ModelFamilies.openCodec(Fixtures.tinyModel()).languageTable();
        nllb = ModelFamilies.openCodec(Fixtures.nllbTiny()).languageTable();
    }

    @ParameterizedTest(name = "{0} -> m2m100 {1}, nllb {2}")
    @CsvSource(nullValues = "-", value = {
            // the models' own codes, any case
            "en, en, eng_Latn", "EN, en, eng_Latn", "eng_Latn, en, eng_Latn", "ENG_LATN, en, eng_Latn",
            "eng_latn, en, eng_Latn", "ja, ja, jpn_Jpan", "jpn_Jpan, ja, jpn_Jpan",
            // BCP-47 tags: region, script, private use
            "en-US, en, eng_Latn", "en_GB, en, eng_Latn", "pt-BR, pt, por_Latn", "de-CH-1996, de, deu_Latn",
            "en-x-custom, en, eng_Latn", "ja-JP, ja, jpn_Jpan",
            // Chinese: region and script decide between Simplified and Traditional where the model has both
            "zh, zh, zho_Hans", "zh-CN, zh, zho_Hans", "zh-Hans, zh, zho_Hans", "zh-SG, zh, zho_Hans",
            "zh-TW, zh, zho_Hant", "zh-HK, zh, zho_Hant", "zh-Hant, zh, zho_Hant", "zh-Hant-CN, zh, zho_Hant",
            "zho_Hant, zh, zho_Hant", "cmn, zh, zho_Hans", "yue, -, yue_Hant",
            // ISO 639-3 and 639-2/B codes, and the standard variety of a macrolanguage
            "eng, en, eng_Latn", "deu, de, deu_Latn", "ger, de, deu_Latn", "fre, fr, fra_Latn",
            "ar, ar, arb_Arab", "arb_Arab, ar, arb_Arab", "fa, fa, pes_Arab", "ms, ms, zsm_Latn", "no, no, nob_Latn",
            "nb, no, nob_Latn", "sw, sw, swh_Latn", "lv, lv, lvs_Latn", "et, et, est_Latn", "sq, sq, als_Latn",
            "he, he, heb_Hebr", "iw, he, heb_Hebr", "id, id, ind_Latn", "ceb, ceb, ceb_Latn", "ast, ast, ast_Latn",
            // M2M100's non-ISO "ns" (Northern Sotho) and NLLB's nso_Latn meet
            "ns, ns, nso_Latn", "nso_Latn, ns, nso_Latn",
            // other varieties keep their own codes
            "arz_Arab, -, arz_Arab", "prs_Arab, -, prs_Arab", "nn, -, nno_Latn",
            // several scripts: the usual one, or the one asked for
            "kas, -, kas_Arab", "kas-Deva, -, kas_Deva", "ks, -, kas_Arab", "taq, -, taq_Latn",
            "srp_Cyrl, sr, srp_Cyrl", "sr-Latn, sr, -", "ja-Latn, ja, -",
            // not languages
            "xx, -, -", "klingon, -, -", "'', -, -", "e, -, -", "en-, en, eng_Latn", "auto, -, -", "123, -, -",
            // only separators: nothing left after the split
            "'-', -, -", "'_', -, -", "'--', -, -", "'-_', -, -"})
    void resolvesOnBothFamilies(String requested, String onM2m, String onNllb) {
        assertEquals(Optional.ofNullable(onM2m), m2m.resolve(requested), "m2m100: " + requested);
        assertEquals(Optional.ofNullable(onNllb), nllb.resolve(requested), "nllb: " + requested);
    }

    @Test
    void everyOwnCodeResolvesToItselfAndEveryCodeCrossesWhereTheOtherHasTheLanguage() {
        for (String code : m2m.codes()) {
            assertEquals(Optional.of(code), m2m.resolve(code));
        }
        for (String code : nllb.codes()) {
            assertEquals(Optional.of(code), nllb.resolve(code));
        }
        long m2mOnNllb = m2m.codes().stream().filter(c -> nllb.resolve(c).isPresent()).count();
        long nllbOnM2m = nllb.codes().stream().filter(c -> m2m.resolve(c).isPresent()).count();
        // All of M2M100's languages but Breton and Western Frisian are in NLLB-200; 99 NLLB codes reach an M2M100
        // code (both Chinese scripts reach zh). The counts pin the mapping table's reach.
        System.out.printf("M2M100 codes that resolve on NLLB: %d/100; NLLB codes that resolve on M2M100: %d/202%n",
                m2mOnNllb, nllbOnM2m);
        assertEquals(98, m2mOnNllb);
        assertEquals(99, nllbOnM2m);
        assertEquals(java.util.List.of("br", "fy"),
                m2m.codes().stream().filter(c -> nllb.resolve(c).isEmpty()).toList());
        assertEquals(Optional.of("en"), m2m.resolve(nllb.resolve("en").orElseThrow()));
    }

    @Test
    void namesComeFromTheFamily() {
        assertEquals("English", m2m.name("en"));
        assertEquals("English", nllb.name("eng_Latn"));
        assertEquals("Chinese (Traditional)", nllb.name("zho_Hant"));
        assertEquals(100, m2m.languages().size());
        assertEquals(202, nllb.languages().size());
    }
}
