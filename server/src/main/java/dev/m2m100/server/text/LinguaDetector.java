package dev.m2m100.server.text;

import com.github.pemistahl.lingua.api.IsoCode639_1;
import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;

import java.lang.System.Logger.Level;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.function.Function;

/**
 * Language detection with Lingua (com.github.pemistahl:lingua), restricted to the languages the model has, in
 * Lingua's low-accuracy mode (trigram models only: a fraction of the memory and several times the speed of
 * the full mode, and accurate enough for sentences and paragraphs; docs/PERFORMANCE.md has the numbers).
 *
 * <p>Nothing is loaded until the first {@link #detect} call, so a service whose clients never ask for
 * {@code auto} pays nothing for it at start or in memory.
 */
public final class LinguaDetector implements LanguageDetector {
    private static final System.Logger LOG = System.getLogger(LinguaDetector.class.getName());
    /** Detection reads this many characters at most: more changes nothing but the cost. */
    static final int MAX_CHARS = 1000;

    private final Map<Language, String> modelCodes;
    private volatile com.github.pemistahl.lingua.api.LanguageDetector detector;

    private LinguaDetector(Map<Language, String> modelCodes) {
        this.modelCodes = modelCodes;
    }

    /**
     * A detector over the model's languages that Lingua knows.
     *
     * @param resolve a language code (ISO 639-1 such as "en", or 639-3 such as "ceb") to the model's code for
     *                it, empty when the model does not have that language
     * @return empty when fewer than two of the model's languages are detectable (nothing to choose between)
     */
    public static Optional<LinguaDetector> forModel(Function<String, Optional<String>> resolve) {
        Map<Language, String> codes = new EnumMap<>(Language.class);
        for (Language l : Language.values()) {
            if (l == Language.UNKNOWN) {
                continue;
            }
            Optional<String> code = l.getIsoCode639_1() == IsoCode639_1.NONE ? Optional.empty()
                    : resolve.apply(l.getIsoCode639_1().toString().toLowerCase(Locale.ROOT));
            if (code.isEmpty()) {
                code = resolve.apply(l.getIsoCode639_3().toString().toLowerCase(Locale.ROOT));
            }
            code.ifPresent(c -> codes.put(l, c));
        }
        return codes.size() < 2 ? Optional.empty() : Optional.of(new LinguaDetector(codes));
    }

    /** The model codes this detector can answer with. */
    public List<String> languages() {
        return List.copyOf(modelCodes.values());
    }

    @Override
    public Detection detect(String text) {
        String sample = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text;
        // Lingua's values are relative: the best language scores 1, the others their share of that.
        SortedMap<Language, Double> values = lingua().computeLanguageConfidenceValues(sample);
        if (values.isEmpty()) {
            return null;
        }
        var ranked = values.entrySet().iterator();
        Map.Entry<Language, Double> best = ranked.next();
        double runnerUp = ranked.hasNext() ? ranked.next().getValue() : 0;
        return new Detection(modelCodes.get(best.getKey()), best.getValue() <= 0 ? 0 : 1 - runnerUp / best.getValue());
    }

    /** Builds Lingua's detector on first use (its language models then load on the first detection). */
    private com.github.pemistahl.lingua.api.LanguageDetector lingua() {
        com.github.pemistahl.lingua.api.LanguageDetector d = detector;
        if (d == null) {
            synchronized (this) {
                d = detector;
                if (d == null) {
                    long t0 = System.nanoTime();
                    d = LanguageDetectorBuilder.fromLanguages(modelCodes.keySet().toArray(Language[]::new))
                            .withLowAccuracyMode()
                            .build();
                    detector = d;
                    LOG.log(Level.INFO, "language detection ready for " + modelCodes.size() + " languages in "
                            + (System.nanoTime() - t0) / 1_000_000 + " ms (models load on first use)");
                }
            }
        }
        return d;
    }
}
