package dev.m2m100.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.m2m100.engine.TextCodec;
import dev.m2m100.engine.family.ModelFamilies;
import dev.m2m100.tools.cli.Cli;
import dev.m2m100.tools.cli.ModelOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code m2m100 tokenize}: standard input, one JSON string per line, to one JSON array of encoder input
 * ids per line (the language token first, {@code </s>} last). With {@code --decode}: JSON arrays of ids in,
 * JSON strings out. The tokenizer is the model folder's own (M2M100, NLLB, …: {@link ModelFamilies}).
 */
@Command(name = "tokenize",
        mixinStandardHelpOptions = true,
        description = {
                "Encodes text into the model's encoder input ids (M2M100, NLLB), or decodes ids back into text.",
                "Reads standard input, one JSON value per line, and writes one JSON value per line:",
                "  encode: \"text\"  ->  [langId, ..., 2]",
                "  decode: [ids]   ->  \"text\"  (special tokens skipped unless --keep-special)",
                "Exit status: 0 ok, 1 the model's tokenizer cannot be read, 2 bad arguments or a bad input line."})
public final class TokenizeCommand implements Callable<Integer> {

    @Mixin
    ModelOption model = new ModelOption();

    @Option(names = "--lang", paramLabel = "LANG", description = "Source language (required to encode): the model's code (en, eng_Latn) or a BCP-47 tag (en-US).")
    String lang;

    @Option(names = "--decode", description = "Decode JSON arrays of ids into text instead of encoding.")
    boolean decode;

    @Option(names = "--keep-special", description = "With --decode: keep special tokens (decode without skip_special_tokens).")
    boolean keepSpecial;

    private final InputStream in;
    private final OutputStream out;
    private final PrintStream err;

    public TokenizeCommand() {
        this(System.in, System.out, System.err);
    }

    TokenizeCommand(InputStream in, OutputStream out, PrintStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws IOException {
        if (!decode && lang == null) {
            err.println("m2m100 tokenize: --lang is required to encode (or give --decode)");
            return 2;
        }
        if (keepSpecial && !decode) {
            err.println("m2m100 tokenize: --keep-special only applies with --decode");
            return 2;
        }
        Path dir = model.resolve();
        TextCodec tokenizer;
        try {
            tokenizer = ModelFamilies.openCodec(dir);
        } catch (IOException e) {
            err.println("m2m100 tokenize: cannot load tokenizer from " + dir + ": " + describe(e));
            return Cli.FAILED;
        }
        String modelLang = null;
        if (!decode) {
            modelLang = tokenizer.languageTable().resolve(lang).orElse(null);
            if (modelLang == null) {
                err.println("m2m100 tokenize: --lang: unsupported language '" + lang + "'; the model's languages: "
                        + String.join(", ", tokenizer.languageTable().codes()));
                return 2;
            }
        }
        ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        try {
            long lineNo = 0;
            for (String line; (line = reader.readLine()) != null; ) {
                lineNo++;
                String result;
                try {
                    result = decode ? decodeLine(json, tokenizer, line) : encodeLine(json, tokenizer, modelLang, line);
                } catch (BadLineException e) {
                    writer.flush();
                    err.println("m2m100 tokenize: line " + lineNo + ": " + e.getMessage());
                    return Cli.USAGE;
                }
                writer.write(result);
                writer.write('\n');
            }
        } finally {
            writer.flush();
        }
        return 0;
    }

    private String encodeLine(ObjectMapper json, TextCodec tokenizer, String lang, String line) throws BadLineException {
        JsonNode node = parse(json, line);
        if (!node.isTextual()) {
            throw new BadLineException("expected a JSON string, got " + kind(node));
        }
        int[] ids = tokenizer.encode(node.textValue(), lang);
        StringBuilder sb = new StringBuilder(ids.length * 5 + 2).append('[');
        for (int i = 0; i < ids.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(ids[i]);
        }
        return sb.append(']').toString();
    }

    private String decodeLine(ObjectMapper json, TextCodec tokenizer, String line) throws BadLineException {
        JsonNode node = parse(json, line);
        if (!node.isArray()) {
            throw new BadLineException("expected a JSON array of token ids, got " + kind(node));
        }
        int[] ids = new int[node.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw new BadLineException("element " + i + " is not an integer token id: " + v);
            }
            ids[i] = v.intValue();
        }
        String text = keepSpecial ? tokenizer.decodeWithSpecial(ids) : tokenizer.decode(ids);
        try {
            return json.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON string", e);
        }
    }

    private static JsonNode parse(ObjectMapper json, String line) throws BadLineException {
        JsonNode node;
        try {
            node = json.readTree(line);
        } catch (JsonProcessingException e) {
            throw new BadLineException("invalid JSON: " + e.getOriginalMessage());
        }
        if (node == null || node.isMissingNode()) {
            throw new BadLineException("empty line (expected one JSON value)");
        }
        return node;
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase() + " " + abbreviate(node.toString());
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.NoSuchFileException nsf) {
            return (nsf.getReason() == null ? "file not found" : nsf.getReason()) + ": " + nsf.getFile();
        }
        return m == null ? e.toString() : m;
    }

    /** A line of input that is not what the mode expects. */
    private static final class BadLineException extends Exception {
        private static final long serialVersionUID = 1L;

        BadLineException(String message) {
            super(message);
        }
    }
}
