package dev.m2m100.tools.bench;

import dev.m2m100.engine.IdsOnlyCodec;
import dev.m2m100.engine.EngineSettings;
import dev.m2m100.engine.TranslationEngine;
import dev.m2m100.engine.config.ModelConfig;
import dev.m2m100.engine.model.M2M100Model;
import dev.m2m100.engine.model.ModelOptions;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A loaded model behind the engine's scheduler, instrumented for the benchmark, with its load time.
 * Closing it closes the engine (which closes the model).
 */
public final class BenchSession implements AutoCloseable {

    private final TranslationEngine engine;
    private final TimedStepModel timing;
    private final ModelConfig config;
    private final double loadSeconds;
    private final int threads;

    private BenchSession(TranslationEngine engine, TimedStepModel timing, ModelConfig config, double loadSeconds,
                         int threads) {
        this.engine = engine;
        this.timing = timing;
        this.config = config;
        this.loadSeconds = loadSeconds;
        this.threads = threads;
    }

    /**
     * Loads the model folder and starts a scheduler sized so that every case fits in one step: at least
     * {@code maxSources} sources and {@code maxRows} decoder rows open at once.
     */
    public static BenchSession open(Path modelDir, String device, String dtype, int threads, int maxSources,
                                    int maxRows) throws IOException {
        int sources = Math.max(64, maxSources);
        int rows = Math.max(320, maxRows);
        long t0 = System.nanoTime();
        M2M100Model model = M2M100Model.load(modelDir, new ModelOptions(device, dtype, threads, sources, rows));
        double load = (System.nanoTime() - t0) / 1e9;
        TimedStepModel timed = new TimedStepModel(model);
        EngineSettings settings = new EngineSettings(device, dtype, threads, Math.max(1024, sources), sources, rows);
        TranslationEngine engine = TranslationEngine.create(timed, IdsOnlyCodec.INSTANCE, model.config().generation(),
                settings);
        int resolved = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        return new BenchSession(engine, timed, model.config(), load, resolved);
    }

    public BenchRunner runner(int targetLangId) {
        return new BenchRunner(engine, timing, targetLangId, config.decoderStartTokenId(), config.eosTokenId());
    }

    public ModelConfig config() {
        return config;
    }

    public double loadSeconds() {
        return loadSeconds;
    }

    public int threads() {
        return threads;
    }

    @Override
    public void close() {
        engine.close();
    }
}
