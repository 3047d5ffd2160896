package dev.m2m100.tools.cli;

import dev.m2m100.engine.GenerationOptions;
import picocli.CommandLine.Option;

/**
 * {@code --beam-size} and {@code --max-length}: the same names as the API's {@code payload.options.beamSize} and
 * {@code maxLength} and the same meaning, for every command that generates ({@code translate}, {@code load}); the
 * older spellings {@code --beams} and {@code --max-new-tokens} are accepted too. Left out = the model's
 * generation_config.json.
 */
public final class GenerationFlags {

    @Option(names = {"--beam-size", "--beams"}, paramLabel = "N",
            description = "beams per text, 1 = greedy (API: beamSize; default: the model's generation_config.json)")
    Integer beamSize;

    @Option(names = {"--max-length", "--max-new-tokens"}, paramLabel = "N",
            description = "most tokens generated per text, the forced language token included (API: maxLength; "
                    + "Hugging Face's max_new_tokens; default: the model's generation_config.json)")
    Integer maxLength;

    /** The beam size given, or null. */
    public Integer beamSize() {
        return beamSize;
    }

    /** The length limit given, or null. */
    public Integer maxLength() {
        return maxLength;
    }

    /**
     * The options for the engine.
     *
     * @throws CliException (usage) when a value is below 1
     */
    public GenerationOptions options() {
        if (beamSize != null && beamSize < 1 || maxLength != null && maxLength < 1) {
            throw CliException.usage("--beam-size and --max-length must be at least 1");
        }
        return new GenerationOptions(beamSize, maxLength, null, null, null, null);
    }
}
