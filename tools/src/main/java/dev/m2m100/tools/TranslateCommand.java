package dev.m2m100.tools;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.m2m100.engine.EngineSettings;
import dev.m2m100.engine.GenerationOptions;
import dev.m2m100.engine.TranslationEngine;
import dev.m2m100.server.Failures;
import dev.m2m100.server.text.TextFormat;
import dev.m2m100.server.text.TextJob;
import dev.m2m100.server.text.TextRequestException;
import dev.m2m100.server.text.TextTranslator;
import dev.m2m100.tools.cli.Cli;
import dev.m2m100.tools.cli.CliException;
import dev.m2m100.tools.cli.EngineOptions;
import dev.m2m100.tools.cli.GenerationFlags;
import dev.m2m100.tools.cli.ModelOption;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code m2m100 translate}: a Unix filter. Each input line is one text (with {@code --json}: one JSON string) and
 * gives one output line, in order: the translation through the same text layer as the service (sentences,
 * whitespace, {@code --from auto}; a JSON string with {@code --json}), or with {@code --ids} the id sequence exactly
 * as Hugging Face's {@code generate} returns it for that line alone. Each line is submitted as soon as it is read,
 * so the engine's scheduler batches the lines that wait together (up to its MAX_ACTIVE), and each translation is
 * printed as soon as it and the lines before it are done: output follows input without waiting for its end. A
 * line that cannot be translated gives an empty output line ({@code null} with {@code --json} or {@code --ids})
 * and a message naming its number on stderr; the others are translated, and the exit status says that some
 * failed.
 */
@Command(name = "translate", mixinStandardHelpOptions = true,
        description = {"Translate standard input line by line: one text per line in, its translation per line out.",
                "Lines are translated as they arrive, batched together by the engine, and printed in order as soon"
                        + " as they are done, without waiting for the end of the input.",
                "A bad line gives an empty output line and a message with its number on stderr; the rest is"
                        + " translated.",
                "Exit status: 0 all lines translated, 1 a translation failed, 2 bad arguments or a bad input line."})
public final class TranslateCommand implements Callable<Integer> {
    /** Lines read and not yet printed at most: reading waits beyond this (the engine's queue stays bounded). */
    static final int LINES_IN_FLIGHT = 256;
    /** Sentences the scheduler may hold: in-flight lines can be many sentences; queued ones cost only ids. */
    private static final int MAX_QUEUED = 100_000;

    @Mixin
    ModelOption model = new ModelOption();

    @Option(names = "--from", required = true, paramLabel = "LANG",
            description = "source language: the model's code (en, eng_Latn), a BCP-47 tag (en-US, zh-Hant), or auto to detect it per line")
    String from;

    @Option(names = "--to", required = true, paramLabel = "LANG", description = "target language: the model's code or a BCP-47 tag")
    String to;

    @Mixin
    GenerationFlags generation = new GenerationFlags();

    @Option(names = "--json", description = "lines are JSON strings, in and out (texts with line breaks, exact escapes)")
    boolean json;

    @Option(names = "--ids", description = "print generated id sequences (JSON arrays) instead of text")
    boolean ids;

    @Mixin
    EngineOptions engineOptions = new EngineOptions();

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final ObjectMapper mapper = new ObjectMapper();
    /** Written by the printer thread, read after it ended. */
    private int badLines;
    private int failedLines;

    public TranslateCommand() {
        this(System.in, new PrintStream(System.out, false, StandardCharsets.UTF_8), System.err);
    }

    TranslateCommand(InputStream in, PrintStream out, PrintStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws Exception {
        GenerationOptions options = generation.options();
        EngineSettings settings;
        try {
            EngineSettings d = EngineSettings.DEFAULTS;
            settings = new EngineSettings(engineOptions.device(), engineOptions.dtype(), engineOptions.threads(),
                    MAX_QUEUED, d.maxActiveSequences(), d.maxBatchRows());
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
        Path dir = model.resolve();
        TranslationEngine engine;
        try {
            engine = TranslationEngine.open(dir, settings);
        } catch (IOException | RuntimeException e) {
            throw CliException.failed("cannot load the model " + model.value() + ": " + Failures.describe(e), e);
        }
        try (engine) {
            TextTranslator text = TextTranslator.withDetection(engine, MAX_QUEUED);
            Lines lines;
            try {
                lines = ids ? new IdLines(engine, modelCode(engine, "--from", from), modelCode(engine, "--to", to))
                        : new TextLines(text);
            } catch (IllegalArgumentException e) {
                throw CliException.usage(e.getMessage());
            }
            return translateAll(lines);
        }
    }

    /** How one line becomes its output line. */
    private interface Lines {
        /**
         * Starts the line's translation; the future gives the output line.
         *
         * @throws IllegalArgumentException (or {@link TextRequestException}) when the line cannot be translated
         */
        CompletableFuture<String> submit(String text);
    }

    /** Text through the service's text layer. */
    private final class TextLines implements Lines {
        private final TextTranslator text;

        TextLines(TextTranslator text) {
            this.text = text;
            text.resolve(to).orElseThrow(() -> new IllegalArgumentException("--to: unsupported language '" + to
                    + "'; the model's languages: " + String.join(", ", text.languages())));
            if (!TextTranslator.AUTO.equalsIgnoreCase(from)) {
                text.resolve(from).orElseThrow(() -> new IllegalArgumentException("--from: unsupported language '"
                        + from + "'; the model's languages: " + String.join(", ", text.languages())));
            }
        }

        @Override
        public CompletableFuture<String> submit(String line) {
            TextJob job = new TextJob(List.of(line), from, to, TextFormat.TEXT, generation.options());
            return text.translate(job).thenApply(r -> json ? jsonString(r.texts().getFirst()) : oneLine(r.texts().getFirst()));
        }
    }

    /** The model's code for a language flag, through the model's resolver (en-US, eng_Latn, …). */
    private static String modelCode(TranslationEngine engine, String flag, String code) {
        return engine.languageTable().resolve(code).orElseThrow(() -> new IllegalArgumentException(flag
                + ": unsupported language '" + code + "'; the model's languages: "
                + String.join(", ", engine.languageTable().codes())));
    }

    /** The line as one sequence, its generated ids as Hugging Face's generate gives them. */
    private final class IdLines implements Lines {
        private final TranslationEngine engine;
        private final String source;
        private final int target;

        IdLines(TranslationEngine engine, String source, String target) {
            this.engine = engine;
            this.source = source;
            this.target = engine.codec().languageId(target);
        }

        @Override
        public CompletableFuture<String> submit(String line) {
            int[] source = engine.codec().encode(line, this.source);
            if (source.length > engine.maxSourceTokens()) {
                throw new IllegalArgumentException("the text is " + source.length + " tokens long; the model takes at"
                        + " most " + engine.maxSourceTokens() + " (language token and </s> included)");
            }
            return engine.generateAsync(List.of(source), target, generation.options())
                    .thenApply(r -> jsonString(r.getFirst().tokens()));
        }
    }

    /** One input line on its way: its number and its output, or why it has none. */
    private record Pending(long line, CompletableFuture<String> output, String problem) {}

    /** Reads and submits line by line while a printer thread prints in order; returns the exit status. */
    private int translateAll(Lines lines) throws InterruptedException {
        BlockingQueue<Pending> pending = new ArrayBlockingQueue<>(LINES_IN_FLIGHT);
        Pending end = new Pending(0, null, null);
        Thread printer = Thread.ofPlatform().name("m2m100-translate-out").start(() -> {
            try {
                for (Pending p = pending.take(); p != end; p = pending.take()) {
                    print(p);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        IOException readFailure = null;
        try {
            long number = 0;
            for (String line; (line = reader.readLine()) != null; ) {
                pending.put(submit(lines, ++number, line));
            }
        } catch (IOException e) {
            readFailure = e;
        } finally {
            pending.put(end);
            printer.join();
        }
        if (readFailure != null) {
            throw CliException.failed("cannot read standard input: " + Failures.describe(readFailure), readFailure);
        }
        // A failed translation (1) outranks a bad line (2): the more serious condition decides.
        return failedLines > 0 ? Cli.FAILED : badLines > 0 ? Cli.USAGE : Cli.OK;
    }

    private Pending submit(Lines lines, long number, String line) {
        try {
            return new Pending(number, lines.submit(text(line)), null);
        } catch (IllegalArgumentException | TextRequestException e) {
            return new Pending(number, null, e.getMessage());
        }
    }

    /** The text of an input line: the line itself, or with {@code --json} the JSON string it holds. */
    private String text(String line) {
        if (!json) {
            return line;
        }
        JsonNode node;
        try {
            node = mapper.readTree(line);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not valid JSON (" + e.getOriginalMessage()
                    + "); with --json each line is one JSON string, e.g. \"Hello world.\"");
        }
        if (node == null || node.isMissingNode() || !node.isTextual()) {
            throw new IllegalArgumentException((node == null || node.isMissingNode() ? "empty" : "a JSON "
                    + node.getNodeType().toString().toLowerCase(Locale.ROOT))
                    + "; with --json each line is one JSON string, e.g. \"Hello world.\"");
        }
        return node.textValue();
    }

    /** Prints one line's output, or an empty/null line and its problem on stderr. */
    private void print(Pending p) {
        String problem = p.problem();
        boolean failed = false;
        String output = null;
        if (problem == null) {
            try {
                output = p.output().join();
            } catch (CompletionException | CancellationException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                failed = !(cause instanceof IllegalArgumentException || cause instanceof TextRequestException);
                problem = (failed ? "translation failed: " : "") + Failures.describe(cause);
            }
        }
        if (problem != null) {
            err.println("m2m100 translate: line " + p.line() + ": " + problem);
            out.println(json || ids ? "null" : "");
            if (failed) {
                failedLines++;
            } else {
                badLines++;
            }
        } else {
            out.println(output);
        }
        out.flush();
        err.flush();
    }

    /** Plain output keeps one line per input line: a line break inside a translation becomes a space. */
    private static String oneLine(String text) {
        return text.replaceAll("\\R", " ");
    }

    private String jsonString(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
