package dev.m2m100.engine;

import dev.m2m100.engine.backend.Placement;
import dev.m2m100.engine.config.GenerationConfig;
import dev.m2m100.engine.family.ModelFamilies;
import dev.m2m100.engine.language.LanguageTable;
import dev.m2m100.engine.model.M2M100Model;
import dev.m2m100.engine.model.ModelOptions;
import dev.m2m100.engine.generation.GeneratedSequence;
import dev.m2m100.engine.generation.SearchSettings;
import dev.m2m100.engine.generation.StepModel;
import dev.m2m100.engine.scheduler.Scheduler;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The {@link Translator}: tokenize, decode through the model's one {@link Scheduler}, detokenize. Also offers
 * the same path at the level of token ids ({@link #generate}) for tests and the command line.
 */
public final class TranslationEngine implements Translator {

    private static final System.Logger LOG = System.getLogger(TranslationEngine.class.getName());

    private final TextCodec codec;
    private final GenerationConfig generation;
    private final Scheduler scheduler;
    private final int maxSourceTokens;
    private final Placement placement;

    private TranslationEngine(StepModel model, TextCodec codec, GenerationConfig generation, EngineSettings settings,
                              Placement placement) {
        this.codec = codec;
        this.placement = placement;
        this.generation = generation;
        this.maxSourceTokens = model.maxPositions();
        this.scheduler = new Scheduler(model, settings);
    }

    /**
     * Loads the tokenizer and the model of a Hugging Face M2M100ForConditionalGeneration folder and starts the
     * scheduler. The folder's family (M2M100, NLLB, …; {@link ModelFamilies}) decides the codec; the generation
     * defaults are the folder's generation_config.json. Logs one line saying what was loaded where (device, dtype, threads, why that device) and how long it took. An explicit
     * CUDA device that is unusable is a {@link dev.m2m100.engine.backend.cuda.CudaException} naming the reason.
     */
    public static TranslationEngine open(Path modelDir, EngineSettings settings) throws IOException {
        long t0 = System.nanoTime();
        TextCodec codec = ModelFamilies.openCodec(modelDir);
        M2M100Model model = M2M100Model.load(modelDir, ModelOptions.from(settings));
        try {
            if (codec.vocabularySize() > model.vocabSize()) {
                throw new IOException(modelDir + ": the tokenizer has " + codec.vocabularySize()
                        + " ids but the model's vocabulary only " + model.vocabSize());
            }
            Placement placement = model.placement();
            GenerationConfig generation = model.config().generation();
            LOG.log(Level.INFO, String.format(Locale.ROOT, "loaded %s model %s in %.1f s: %s (%s); %d languages,"
                            + " default search %s", codec.family(), modelDir, (System.nanoTime() - t0) / 1e9,
                    placement.summary(), placement.reason(), codec.languageTable().codes().size(),
                    generation.numBeams() == 1 ? "greedy" : generation.numBeams() + " beams"));
            return new TranslationEngine(model, codec, generation, settings, placement);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * A translator over an already loaded model; the translator owns it from now on (closes it on
     * {@link #close()}).
     */
    public static TranslationEngine create(StepModel model, TextCodec codec, GenerationConfig generation,
                                           EngineSettings settings) {
        return new TranslationEngine(model, codec, generation, settings, Placement.UNKNOWN);
    }

    /** One submission of texts with their own source languages, for the client and within the time limit given. */
    @Override
    public CompletableFuture<List<String>> translate(List<String> texts, List<String> fromLangs, String toLang,
                                                     GenerationOptions options, RequestContext context) {
        List<int[]> sources = new ArrayList<>();
        int[] sourceOf = new int[texts == null ? 0 : texts.size()];
        SearchSettings settings;
        try {
            if (texts == null || fromLangs == null) {
                throw new IllegalArgumentException("texts and their source languages must not be null");
            }
            if (fromLangs.size() != texts.size()) {
                throw new IllegalArgumentException(texts.size() + " texts but " + fromLangs.size() + " source languages");
            }
            settings = SearchSettings.resolve(generation, options, codec.languageId(toLang));
            for (int i = 0; i < texts.size(); i++) {
                String text = texts.get(i);
                if (text == null) {
                    throw new IllegalArgumentException("text " + i + " is null");
                }
                if (text.isEmpty()) {
                    sourceOf[i] = -1; // nothing to translate: "" without touching the model
                    continue;
                }
                int[] ids = codec.encode(text, fromLangs.get(i));
                if (ids.length > maxSourceTokens) {
                    throw new IllegalArgumentException("text " + i + " is " + ids.length + " tokens long; the model takes at most "
                            + maxSourceTokens + " tokens (language token and </s> included)");
                }
                sourceOf[i] = sources.size();
                sources.add(ids);
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<List<GeneratedSequence>> inner = scheduler.submit(sources, settings, context);
        CompletableFuture<List<String>> outer = new CompletableFuture<>();
        inner.whenComplete((results, error) -> {
            if (error != null) {
                outer.completeExceptionally(unwrap(error));
                return;
            }
            try {
                List<String> out = new ArrayList<>(sourceOf.length);
                for (int index : sourceOf) {
                    out.add(index < 0 ? "" : codec.decode(results.get(index).tokens()));
                }
                outer.complete(List.copyOf(out));
            } catch (RuntimeException e) {
                outer.completeExceptionally(e);
            }
        });
        // Cancelling the caller's future drops the queued or running work.
        outer.whenComplete((r, e) -> {
            if (outer.isCancelled()) {
                inner.cancel(false);
            }
        });
        return outer;
    }

    /**
     * Decodes complete encoder inputs into the target language: each result is what Hugging Face's
     * {@code generate} returns for that input alone (start token, language token, generated ids, {@code </s>}
     * when reached), with its beam score.
     */
    public CompletableFuture<List<GeneratedSequence>> generateAsync(List<int[]> sources, int targetLangId,
                                                                    GenerationOptions options) {
        SearchSettings settings;
        try {
            settings = SearchSettings.resolve(generation, options, targetLangId);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return scheduler.submit(sources, settings, RequestContext.NONE);
    }

    /** Blocking form of {@link #generateAsync}; failures are rethrown unwrapped when unchecked. */
    public List<GeneratedSequence> generate(List<int[]> sources, int targetLangId, GenerationOptions options) {
        try {
            return generateAsync(sources, targetLangId, options).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** The tokenizer side of this engine. */
    public TextCodec codec() {
        return codec;
    }

    @Override
    public LanguageTable languageTable() {
        return codec.languageTable();
    }

    /** The model's default generation settings (its generation_config.json). */
    public GenerationConfig generationConfig() {
        return generation;
    }

    @Override
    public int countSourceTokens(String text, String fromLang) {
        return codec.encode(text, fromLang).length;
    }

    @Override
    public int maxSourceTokens() {
        return maxSourceTokens;
    }

    @Override
    public Placement placement() {
        return placement;
    }

    @Override
    public SchedulerStats stats() {
        return scheduler.stats();
    }

    /** Stops accepting work, finishes what was accepted, then closes the model (the scheduler does). */
    @Override
    public void close() {
        scheduler.close();
    }
}
