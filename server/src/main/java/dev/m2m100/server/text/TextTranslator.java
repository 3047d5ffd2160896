package dev.m2m100.server.text;

import dev.m2m100.engine.RequestContext;
import dev.m2m100.engine.Translator;
import dev.m2m100.engine.language.LanguageTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The text layer between the clients (the HTTP APIs, the command line) and the engine: one way text becomes
 * sequences. Each text is cut into sentences ({@link SentenceSegmenter}; for HTML, each text node is), an
 * over-long sentence into parts that fit ({@link LongSentenceSplitter}); every sentence of every text of the
 * job goes to the engine in ONE submission (so it is queued whole or refused whole, and its sentences batch
 * with everything else); the translations are put back together with the source's whitespace
 * ({@link SentenceSpacing}). With {@link #AUTO} the source language is detected per text.
 *
 * <p>Texts that need no model work pass through untouched: empty and whitespace-only texts (and text nodes),
 * and texts whose source language is the target language. Thread-safe.
 */
public final class TextTranslator {
    /** The source "language" that asks for detection. */
    public static final String AUTO = "auto";

    private final Translator translator;
    private final LanguageDetector detector;
    private final int maxSentences;
    private final SentenceSegmenter segmenter;
    private final LongSentenceSplitter splitter;

    /**
     * @param detector     detection for {@link #AUTO}; null when the model has no detectable languages
     * @param maxSentences the most sequences one job may submit (the engine's queue bound)
     */
    public TextTranslator(Translator translator, LanguageDetector detector, int maxSentences) {
        BreakRules rules = new BreakRules();
        this.translator = translator;
        this.detector = detector;
        this.maxSentences = maxSentences;
        this.segmenter = new SentenceSegmenter(rules);
        this.splitter = new LongSentenceSplitter(rules);
    }

    /** A text layer with Lingua detection over the translator's languages (loaded on first use). */
    public static TextTranslator withDetection(Translator translator, int maxSentences) {
        LanguageTable table = translator.languageTable();
        return new TextTranslator(translator, LinguaDetector.forModel(table::resolve).orElse(null), maxSentences);
    }

    /**
     * The model's code for what a client wrote ({@code EN}, {@code en-US}, {@code eng_Latn}, {@code zh-TW}, …),
     * empty when the model does not have the language: the model's one resolver ({@link LanguageTable}).
     */
    public Optional<String> resolve(String code) {
        return translator.languageTable().resolve(code);
    }

    /** The model's languages, in its order. */
    public List<String> languages() {
        return translator.languages();
    }

    /**
     * Plans the job and submits it. Problems with the job itself (languages, a sentence that cannot fit, too
     * many sentences) are thrown here, before anything is queued; the engine's own failures (queue full, …)
     * complete the future exceptionally.
     *
     * @throws TextRequestException when the job cannot be translated as given
     */
    public CompletableFuture<TextResult> translate(TextJob job) {
        return translate(job, RequestContext.NONE);
    }

    /**
     * As {@link #translate(TextJob)}, all of the job's sentences in ONE engine submission for the context's client
     * and time limit (so a pasted document shares the scheduler fairly with other clients' requests).
     *
     * @throws TextRequestException when the job cannot be translated as given
     */
    public CompletableFuture<TextResult> translate(TextJob job, RequestContext context) {
        String to = resolve(job.to()).orElseThrow(() -> unsupported(TextRequestException.Problem.UNSUPPORTED_TARGET, job.to()));
        boolean auto = AUTO.equalsIgnoreCase(job.from());
        String from = auto ? null
                : resolve(job.from()).orElseThrow(() -> unsupported(TextRequestException.Problem.UNSUPPORTED_SOURCE, job.from()));
        boolean targetSpaced = SentenceSpacing.spacesBetweenSentences(to);

        List<Detection> detected = auto ? new ArrayList<>() : null;
        List<PlannedText> planned = new ArrayList<>(job.texts().size());
        List<String> sentences = new ArrayList<>();
        List<String> sentenceLangs = new ArrayList<>();
        for (int i = 0; i < job.texts().size(); i++) {
            String text = job.texts().get(i);
            HtmlText html = job.format() == TextFormat.HTML ? HtmlText.parse(text) : null;
            String source = from;
            if (auto) {
                Detection d = detect(html == null ? text : html.plainText());
                detected.add(d);
                source = d.language();
            }
            if (source.equals(to)) {
                planned.add(new PlannedText(text, null, List.of()));
                continue;
            }
            List<Unit> units = new ArrayList<>();
            for (String unit : html == null ? List.of(text) : html.texts()) {
                Segments segments = fitToModel(segmenter.segment(unit, source), source, i);
                units.add(new Unit(segments, sentences.size()));
                for (String sentence : segments.pieces()) {
                    sentences.add(sentence);
                    sentenceLangs.add(source);
                }
            }
            planned.add(new PlannedText(text, html, units));
        }
        if (sentences.size() > maxSentences) {
            throw new TextRequestException(TextRequestException.Problem.TOO_MANY_SENTENCES, -1,
                    "the texts split into " + sentences.size() + " sentences, more than the service queues for one "
                            + "request (" + maxSentences + "); send fewer or shorter texts per request");
        }
        CompletableFuture<List<String>> work = sentences.isEmpty() ? CompletableFuture.completedFuture(List.of())
                : translator.translate(sentences, sentenceLangs, to, job.options(), context);
        CompletableFuture<TextResult> result = work.thenApply(translations -> {
            if (translations.size() != sentences.size()) {
                throw new IllegalStateException("engine returned " + translations.size() + " translations for "
                        + sentences.size() + " sentences");
            }
            List<String> out = new ArrayList<>(planned.size());
            for (PlannedText p : planned) {
                out.add(p.assemble(translations, targetSpaced));
            }
            return new TextResult(List.copyOf(out), detected == null ? null : List.copyOf(detected));
        });
        // Cancelling a dependent stage does not cancel its source: pass it on, so the engine drops the work.
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                work.cancel(false);
            }
        });
        return result;
    }

    /**
     * The most likely language of a text; for a text that gives nothing to go by, the fallback language
     * (English where the model has it) with confidence 0.
     *
     * @throws TextRequestException ({@code NO_DETECTION}) when the model has no detectable languages
     */
    public Detection detect(String text) {
        if (detector == null) {
            throw new TextRequestException(TextRequestException.Problem.NO_DETECTION, -1,
                    "language detection is not available for this model's languages; give the source language");
        }
        Detection found = detector.detect(text);
        return found != null ? found : new Detection(resolve("en").orElse(languages().getFirst()), 0);
    }

    /** Splits each sentence longer than the model's input into parts that fit (at word boundaries). */
    private Segments fitToModel(Segments segments, String lang, int index) {
        int max = translator.maxSourceTokens();
        List<String> pieces = new ArrayList<>();
        List<String> separators = new ArrayList<>();
        for (int i = 0; i < segments.pieces().size(); i++) {
            if (i > 0) {
                separators.add(segments.separators().get(i - 1));
            }
            String sentence = segments.pieces().get(i);
            if (translator.countSourceTokens(sentence, lang) <= max) {
                pieces.add(sentence);
                continue;
            }
            Segments parts;
            try {
                parts = splitter.split(sentence, lang, t -> translator.countSourceTokens(t, lang), max);
            } catch (LongSentenceSplitter.SentenceTooLongException e) {
                throw new TextRequestException(TextRequestException.Problem.SENTENCE_TOO_LONG, index,
                        "a run of this text without a space or other place to split is " + e.tokens()
                                + " tokens long; the model accepts at most " + max
                                + " per sentence (longer sentences are split between words)");
            }
            pieces.add(parts.pieces().getFirst());
            for (int p = 1; p < parts.pieces().size(); p++) {
                separators.add(parts.separators().get(p - 1));
                pieces.add(parts.pieces().get(p));
            }
        }
        return pieces.size() == segments.pieces().size() ? segments
                : new Segments(segments.lead(), pieces, separators, segments.trail());
    }

    private TextRequestException unsupported(TextRequestException.Problem problem, String code) {
        return new TextRequestException(problem, -1, "unsupported language '" + code + "'; supported: "
                + String.join(", ", languages()));
    }

    /** One text (or HTML text node) and where its sentences start in the job's submission. */
    private record Unit(Segments segments, int first) {
        String assemble(List<String> translations, boolean targetSpaced) {
            return SentenceSpacing.join(segments,
                    translations.subList(first, first + segments.pieces().size()), targetSpaced);
        }
    }

    /** A text of the job: passed through (no units), plain (one unit) or HTML (one unit per text node). */
    private record PlannedText(String source, HtmlText html, List<Unit> units) {
        String assemble(List<String> translations, boolean targetSpaced) {
            if (units.isEmpty()) {
                return source; // nothing to translate: not even re-serialised
            }
            List<String> joined = new ArrayList<>(units.size());
            for (Unit u : units) {
                joined.add(u.assemble(translations, targetSpaced));
            }
            return html == null ? joined.getFirst() : html.render(joined);
        }
    }
}
