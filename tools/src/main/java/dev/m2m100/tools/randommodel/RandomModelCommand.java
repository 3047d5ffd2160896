package dev.m2m100.tools.randommodel;

import dev.m2m100.engine.safetensors.SafetensorsWriter.Dtype;
import dev.m2m100.server.Failures;
import dev.m2m100.tools.cli.Cli;
import dev.m2m100.tools.cli.CliException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code m2m100 random-model}: a full-size M2M100 or NLLB-200 folder with random weights, for speed work. */
@Command(name = "random-model", mixinStandardHelpOptions = true,
        description = "Write a Hugging Face-layout M2M100 or NLLB-200 model folder with the real architecture and"
                + " seeded random weights (for benchmarks; translations are gibberish).")
public final class RandomModelCommand implements Callable<Integer> {

    @Option(names = "--preset", required = true, description = "m2m100_418M, m2m100_1_2B, nllb_600M, nllb_1_3B, "
            + "nllb_3_3B, or tiny (the real M2M100 vocabulary behind a 2-layer, 64-wide transformer: a few MB, for "
            + "trying bench quickly)")
    String preset;

    @Option(names = "--out", required = true, description = "folder to write")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--dtype", defaultValue = "f32", description = "f32, f16 or bf16 (default: ${DEFAULT-VALUE})")
    String dtype;

    @Option(names = "--tokenizer", paramLabel = "DIR",
            description = "folder to copy the tokenizer files from (default: the tokenizer of the family's test "
                    + "fixture, testdata/m2m100-tiny or testdata/nllb-tiny, shipped with the tool)")
    Path tokenizer;

    @Override
    public Integer call() throws IOException {
        long t0 = System.nanoTime();
        Preset p;
        Dtype d;
        try {
            p = Preset.byName(preset);
            d = Dtype.parse(dtype);
            if (d == Dtype.I8) {
                throw new IllegalArgumentException("--dtype must be f32, f16 or bf16 (random weights are written as"
                        + " floating point; int8 is a run-time format: serve/translate/bench --dtype int8)");
            }
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
        if (tokenizer != null && !Files.isDirectory(tokenizer)) {
            throw CliException.usage("tokenizer folder " + tokenizer + " does not exist");
        }
        long params;
        try {
            params = tokenizer != null ? RandomModelWriter.write(p, out, seed, d, tokenizer)
                    : RandomModelWriter.writeWithBundledTokenizer(p, out, seed, d);
        } catch (IOException | IllegalArgumentException e) {
            throw CliException.failed("cannot write " + out + ": " + Failures.describe(e), e);
        }
        long bytes = Files.size(out.resolve("model.safetensors"));
        double s = (System.nanoTime() - t0) / 1e9;
        System.err.printf("wrote %s: %s, %,d parameters, model.safetensors %,d bytes in %.1f s (%.0f MB/s)%n",
                out, p.name(), params, bytes, s, bytes / 1e6 / s);
        return Cli.OK;
    }
}
