package dev.m2m100.tools;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.m2m100.engine.EngineSettings;
import dev.m2m100.engine.GenerationOptions;
import dev.m2m100.engine.TranslationEngine;
import dev.m2m100.engine.generation.GeneratedSequence;
import dev.m2m100.server.text.TextFormat;
import dev.m2m100.server.text.TextJob;
import dev.m2m100.server.text.TextRequestException;
import dev.m2m100.server.text.TextTranslator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import dev.m2m100.tools.cli.EngineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code m2m100 translate}: one JSON string per input line, one JSON value per output line: the translation,
 * through the same text layer as the service (sentences, whitespace, {@code --from auto}), or with
 * {@code --ids} the id sequence exactly as Hugging Face's {@code generate} returns it for that input alone
 * (the line as one sequence).
 */
@Command(name = "translate", mixinStandardHelpOptions = true,
        description = "Translate JSON strings read line by line from standard input; writes one JSON value per line.")
public final class TranslateCommand implements Callable<Integer> {
    /** Lines submitted to the scheduler together. */
    private static final int CHUNK = 256;
    /** Sentences the scheduler may hold: a chunk of long lines can be many sentences; queued ones cost only ids. */
    private static final int MAX_QUEUED = 100_000;

    @Option(names = "--model", required = true, description = "Hugging Face M2M100 model folder")
    Path model;

    @Option(names = "--from", required = true, description = "source language code (en, ja, …), or auto to detect it per line")
    String from;

    @Option(names = "--to", required = true, description = "target language code")
    String to;

    @Option(names = "--beams", description = "number of beams (1 = greedy; default: generation_config.json)")
    Integer beams;

    @Option(names = "--max-new-tokens", description = "limit on generated tokens after the start token (default: generation_config.json)")
    Integer maxNewTokens;

    @Option(names = "--ids", description = "print generated id sequences instead of text")
    boolean ids;

    @Mixin
    EngineOptions engineOptions = new EngineOptions();

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    public TranslateCommand() {
        this(System.in, new PrintStream(System.out, false, StandardCharsets.UTF_8), System.err);
    }

    TranslateCommand(InputStream in, PrintStream out, PrintStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        ObjectMapper json = new ObjectMapper();
        List<String> texts;
        try {
            texts = readTexts(json);
        } catch (BadInput e) {
            err.println("m2m100 translate: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("m2m100 translate: cannot read standard input: " + e.getMessage());
            return 1;
        }
        if (beams != null && beams < 1 || maxNewTokens != null && maxNewTokens < 1) {
            err.println("m2m100 translate: --beams and --max-new-tokens must be at least 1");
            return 2;
        }
        EngineSettings d = EngineSettings.DEFAULTS;
        EngineSettings settings = new EngineSettings(engineOptions.device(), engineOptions.dtype(),
                engineOptions.threads(), MAX_QUEUED, d.maxActiveSequences(), d.maxBatchRows());
        GenerationOptions options = new GenerationOptions(beams, maxNewTokens, null, null, null, null);
        try (TranslationEngine engine = TranslationEngine.open(model, settings)) {
            int target = engine.codec().languageId(to);
            if (ids) {
                engine.codec().languageId(from);
            }
            TextTranslator text = TextTranslator.withDetection(engine, MAX_QUEUED);
            for (int start = 0; start < texts.size(); start += CHUNK) {
                List<String> chunk = texts.subList(start, Math.min(texts.size(), start + CHUNK));
                if (ids) {
                    List<int[]> sources = new ArrayList<>();
                    for (String t : chunk) {
                        sources.add(engine.codec().encode(t, from));
                    }
                    for (GeneratedSequence s : engine.generate(sources, target, options)) {
                        out.println(json.writeValueAsString(s.tokens()));
                    }
                } else {
                    TextJob job = new TextJob(chunk, from, to, TextFormat.TEXT, options);
                    for (String t : text.translate(job).join().texts()) {
                        out.println(json.writeValueAsString(t));
                    }
                }
                out.flush();
            }
            return 0;
        } catch (IllegalArgumentException | TextRequestException e) {
            err.println("m2m100 translate: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("m2m100 translate: cannot load the model: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            err.println("m2m100 translate: " + cause.getMessage());
            return cause instanceof IllegalArgumentException ? 2 : 1;
        }
    }

    private List<String> readTexts(ObjectMapper json) throws IOException {
        List<String> texts = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            JsonNode node;
            try {
                node = json.readTree(line);
            } catch (JacksonException e) {
                throw new BadInput("line " + number + " is not valid JSON (" + e.getOriginalMessage()
                        + "); expected one JSON string per line, e.g. \"Hello world.\"");
            }
            if (node == null || node.isMissingNode() || !node.isTextual()) {
                throw new BadInput("line " + number + " is " + (node == null || node.isMissingNode() ? "empty" : "a JSON "
                        + node.getNodeType().toString().toLowerCase()) + "; expected one JSON string per line, e.g. \"Hello world.\"");
            }
            texts.add(node.textValue());
        }
        return texts;
    }

    private static final class BadInput extends IOException {
        private static final long serialVersionUID = 1L;

        BadInput(String message) {
            super(message);
        }
    }
}
