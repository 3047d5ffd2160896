package dev.m2m100.tools.convert;

import dev.m2m100.engine.backend.WeightDType;
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

/** {@code m2m100 convert}: PyTorch {@code pytorch_model.bin} → {@code model.safetensors}, without running pickle code. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert a PyTorch zip checkpoint (pytorch_model.bin) to safetensors, reading it with a"
                + " restricted unpickler that refuses anything but tensors.")
public final class ConvertCommand implements Callable<Integer> {

    @Option(names = "--in", required = true, paramLabel = "FILE", description = "PyTorch checkpoint (torch.save zip format)")
    Path in;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "safetensors file to write")
    Path out;

    @Option(names = "--dtype", paramLabel = "DTYPE",
            description = "cast floating-point tensors to f32, f16 or bf16 (default: keep each tensor's type)")
    String dtype;

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        Dtype target = dtype == null ? null : target(dtype);
        if (!Files.isRegularFile(in)) {
            throw CliException.usage("--in " + in + ": no such file");
        }
        Path folder = out.toAbsolutePath().getParent();
        if (!Files.isDirectory(folder)) {
            throw CliException.usage("--out " + out + ": folder " + folder + " does not exist");
        }
        PytorchToSafetensors.Result r;
        try {
            r = PytorchToSafetensors.convert(in, out, target);
        } catch (UnsafePickleException e) {
            throw CliException.usage(in + " is not a plain tensor checkpoint: " + e.getMessage());
        } catch (IOException | IllegalArgumentException e) {
            throw CliException.failed("cannot convert " + in + " to " + out + ": " + Failures.describe(e), e);
        }
        System.err.printf("wrote %s: %d tensors%s in %.1f s%n", out, r.tensorsWritten(),
                r.droppedAliases().isEmpty() ? "" : " (tied names not stored: " + String.join(", ", r.droppedAliases()) + ")",
                (System.nanoTime() - t0) / 1e9);
        return Cli.OK;
    }

    /** The cast target: the engine's dtype names (and aliases); only floating-point formats are written. */
    static Dtype target(String name) {
        WeightDType d;
        try {
            d = WeightDType.parse(name);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--dtype '" + name + "' is not a conversion target; expected f32, f16 or bf16");
        }
        return switch (d) {
            case F32 -> Dtype.F32;
            case F16 -> Dtype.F16;
            case BF16 -> Dtype.BF16;
            case INT8 -> throw CliException.usage("--dtype " + name + " is not a conversion target: convert writes"
                    + " floating-point tensors (f32, f16 or bf16); int8 is a run-time weight format, chosen with"
                    + " --dtype int8 on serve, translate or bench");
            case AUTO -> throw CliException.usage("--dtype auto is not a conversion target; leave --dtype out to keep"
                    + " each tensor's type, or give f32, f16 or bf16");
        };
    }
}
