package dev.m2m100.engine.generation;

import dev.m2m100.engine.RequestContext;
import dev.m2m100.engine.EngineSettings;
import dev.m2m100.engine.scheduler.Scheduler;
import java.util.List;

/** Test helper: decodes through a fresh {@link Scheduler} (the one decode loop) and closes it. */
final class Decode {
    private Decode() {}

    static List<GeneratedSequence> run(ToyStepModel toy, List<int[]> sources, SearchSettings settings) {
        try (Scheduler scheduler = new Scheduler(toy, EngineSettings.DEFAULTS)) {
            return scheduler.submit(sources, settings, RequestContext.NONE).join();
        }
    }

    static GeneratedSequence one(ToyStepModel toy, SearchSettings settings) {
        return run(toy, List.of(new int[] {9, 10, 2}), settings).get(0);
    }
}
