package dev.m2m100.tools.convert;

import dev.m2m100.engine.safetensors.SafetensorsWriter.Dtype;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code m2m100 convert}: PyTorch {@code pytorch_model.bin} → {@code model.safetensors}, without running pickle code. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert a PyTorch zip checkpoint (pytorch_model.bin) to safetensors, reading it with a"
                + " restricted unpickler that refuses anything but tensors.")
public final class ConvertCommand implements Callable<Integer> {

    @Option(names = "--in", required = true, description = "PyTorch checkpoint (torch.save zip format)")
    Path in;

    @Option(names = "--out", required = true, description = "safetensors file to write")
    Path out;

    @Option(names = "--dtype", description = "cast floating-point tensors to f32, f16 or bf16 (default: keep)")
    String dtype;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        PytorchToSafetensors.Result r;
        try {
            r = PytorchToSafetensors.convert(in, out, dtype == null ? null : Dtype.parse(dtype));
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("m2m100 convert: " + e.getMessage());
            return 1;
        }
        System.err.printf("wrote %s: %d tensors%s in %.1f s%n", out, r.tensorsWritten(),
                r.droppedAliases().isEmpty() ? "" : " (tied names not stored: " + String.join(", ", r.droppedAliases()) + ")",
                (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
