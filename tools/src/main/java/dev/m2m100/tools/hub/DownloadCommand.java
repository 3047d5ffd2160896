package dev.m2m100.tools.hub;

import dev.m2m100.server.Failures;
import dev.m2m100.tools.cli.Cli;
import dev.m2m100.tools.cli.CliException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code m2m100 download}: fetch an M2M100 model from the Hugging Face hub into a folder. */
@Command(name = "download", mixinStandardHelpOptions = true,
        description = {"Download an M2M100 model (config, generation config, tokenizer, weights) from the Hugging"
                + " Face hub; a revision that has only PyTorch weights is converted to safetensors.",
                "Environment: HF_ENDPOINT (mirror, default https://huggingface.co), HF_TOKEN (gated/private models)."})
public final class DownloadCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL_ID", description = "e.g. facebook/m2m100_418M")
    String modelId;

    @Option(names = "--out", required = true, description = "folder to download into")
    Path out;

    @Option(names = "--revision", defaultValue = "main", description = "branch, tag or commit (default: ${DEFAULT-VALUE})")
    String revision;

    @Option(names = "--keep-bin", description = "keep pytorch_model.bin after converting it")
    boolean keepBin;

    @Override
    public Integer call() {
        HubClient client = new HubClient(HubSettings.fromSystem(), System.err, ProgressBar.stderrIsTerminal());
        try {
            ModelDownloader.Result r = new ModelDownloader(client, System.err).download(modelId, revision, out, keepBin);
            System.err.println("done: " + r.dir() + " (" + String.join(", ", r.files()) + ")");
            return Cli.OK;
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        } catch (HubException e) {
            // A model or revision the hub does not have is a bad argument; an unreachable hub is a failure.
            throw e.kind() == HubException.Kind.NOT_FOUND ? CliException.usage(e.getMessage())
                    : CliException.failed(e.getMessage(), e);
        } catch (IOException e) {
            throw CliException.failed(Failures.describe(e), e);
        }
    }
}
