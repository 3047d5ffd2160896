package dev.m2m100.tools.bench;

import dev.m2m100.engine.IdsOnlyCodec;
import dev.m2m100.engine.EngineSettings;
import dev.m2m100.engine.TranslationEngine;
import dev.m2m100.engine.backend.Backend;
import dev.m2m100.engine.backend.Placement;
import dev.m2m100.engine.config.ModelConfig;
import dev.m2m100.engine.model.M2M100Model;
import dev.m2m100.engine.model.ModelOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * A loaded model behind the engine's scheduler, instrumented for the benchmark, with its load time.
 * Closing it closes the engine (which closes the model).
 */
public final class BenchSession implements AutoCloseable {

    private final TranslationEngine engine;
    private final TimedStepModel timing;
    private final OpTimingBackend opTiming;
    private final ModelConfig config;
    private final Placement placement;
    private final double loadSeconds;

    private BenchSession(TranslationEngine engine, TimedStepModel timing, OpTimingBackend opTiming, ModelConfig config,
                         Placement placement, double loadSeconds) {
        this.engine = engine;
        this.timing = timing;
        this.opTiming = opTiming;
        this.config = config;
        this.placement = placement;
        this.loadSeconds = loadSeconds;
    }

    /**
     * Loads the model folder and starts a scheduler sized so that every case fits in one step: at least
     * {@code maxSources} sources and {@code maxRows} decoder rows open at once. With {@code timeOps} every backend
     * operation is timed ({@link OpTimingBackend}, which refuses any backend but the CPU's before a weight is loaded).
     */
    public static BenchSession open(Path modelDir, EngineSettings requested, int maxSources, int maxRows,
                                    boolean timeOps) throws IOException {
        int sources = Math.max(64, maxSources);
        int rows = Math.max(320, maxRows);
        EngineSettings settings = new EngineSettings(requested.device(), requested.dtype(), requested.threads(),
                Math.max(1024, sources), sources, rows);
        OpTimingBackend[] timer = new OpTimingBackend[1];
        UnaryOperator<Backend> decorate = timeOps ? b -> timer[0] = new OpTimingBackend(b) : UnaryOperator.identity();
        long t0 = System.nanoTime();
        M2M100Model model = M2M100Model.load(modelDir, ModelOptions.from(settings), decorate);
        double load = (System.nanoTime() - t0) / 1e9;
        TimedStepModel timed = new TimedStepModel(model);
        TranslationEngine engine = TranslationEngine.create(timed, IdsOnlyCodec.INSTANCE, model.config().generation(),
                settings);
        return new BenchSession(engine, timed, timer[0], model.config(), model.placement(), load);
    }

    public BenchRunner runner(int targetLangId) {
        return new BenchRunner(engine, timing, opTiming, targetLangId, config.decoderStartTokenId(),
                config.eosTokenId());
    }

    public ModelConfig config() {
        return config;
    }

    public double loadSeconds() {
        return loadSeconds;
    }

    /** Where the model runs: device, weight format in effect, CPU threads. */
    public Placement placement() {
        return placement;
    }

    /** CPU worker threads (on CUDA: the cores, which the bandwidth probe uses). */
    public int threads() {
        return placement.threads() > 0 ? placement.threads() : Runtime.getRuntime().availableProcessors();
    }

    @Override
    public void close() {
        engine.close();
    }
}
