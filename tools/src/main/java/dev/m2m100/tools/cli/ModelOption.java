package dev.m2m100.tools.cli;

import dev.m2m100.tools.hub.HubException;
import dev.m2m100.tools.hub.ModelFolderNotFoundException;
import dev.m2m100.tools.hub.ModelResolver;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --model DIR|MODEL_ID} for the commands that load a model: a local folder, or a hub model id
 * ({@code owner/name}) downloaded into the cache on first use, exactly as {@code serve} takes it. A value that
 * looks like a path and does not exist is a bad argument, never sent to the hub ({@link ModelResolver}).
 */
public final class ModelOption {

    @Option(names = "--model", required = true, paramLabel = "DIR|MODEL_ID",
            description = "model folder (config.json, model.safetensors, tokenizer files), or a Hugging Face model id "
                    + "such as facebook/m2m100_418M, downloaded into the cache (M2M100_CACHE) on first use")
    String model;

    /** The value given. */
    public String value() {
        return model;
    }

    /**
     * The local folder, downloading a hub model first if needed.
     *
     * @throws CliException usage for a folder that does not exist, failed for a download that fails
     */
    public Path resolve() {
        try {
            return ModelResolver.fromEnvironment().resolve(model);
        } catch (ModelFolderNotFoundException e) {
            throw CliException.usage(e.getMessage());
        } catch (HubException e) {
            // A model id the hub does not know is a bad argument; a hub that cannot be reached is a failure.
            throw e.kind() == HubException.Kind.NOT_FOUND ? CliException.usage(e.getMessage())
                    : CliException.failed(e.getMessage(), e);
        } catch (IOException e) {
            throw CliException.failed("cannot get model " + model + ": " + e.getMessage(), e);
        }
    }
}
