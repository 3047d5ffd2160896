package dev.m2m100.tools.randommodel;

import dev.m2m100.engine.safetensors.SafetensorsWriter.Dtype;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code m2m100 random-model}: a full-size M2M100 folder with random weights, for speed work. */
@Command(name = "random-model", mixinStandardHelpOptions = true,
        description = "Write a Hugging Face-layout M2M100 model folder with the real architecture and seeded"
                + " random weights (for benchmarks; translations are gibberish).")
public final class RandomModelCommand implements Callable<Integer> {

    @Option(names = "--preset", required = true, description = "m2m100_418M or m2m100_1.2B")
    String preset;

    @Option(names = "--out", required = true, description = "folder to write")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--dtype", defaultValue = "f32", description = "f32, f16 or bf16 (default: ${DEFAULT-VALUE})")
    String dtype;

    @Option(names = "--tokenizer", defaultValue = "testdata/m2m100-tiny",
            description = "folder to copy the tokenizer files from (default: ${DEFAULT-VALUE})")
    Path tokenizer;

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        try {
            Preset p = Preset.byName(preset);
            long params = RandomModelWriter.write(p, out, seed, Dtype.parse(dtype), tokenizer);
            long bytes = Files.size(out.resolve("model.safetensors"));
            double s = (System.nanoTime() - t0) / 1e9;
            System.err.printf("wrote %s: %s, %,d parameters, model.safetensors %,d bytes in %.1f s (%.0f MB/s)%n",
                    out, p.name(), params, bytes, s, bytes / 1e6 / s);
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("m2m100 random-model: " + e.getMessage());
            return 1;
        }
    }
}
