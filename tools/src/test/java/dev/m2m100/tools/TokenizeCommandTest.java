package dev.m2m100.tools;

import org.junit.jupiter.api.Test;
import dev.m2m100.tools.cli.Cli;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tokenize sub-command end to end on the m2m100-tiny fixture (expected ids from the HF reference). */
class TokenizeCommandTest {

    private record Result(int code, String out, String err) {
    }

    private static Path modelDir() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("testdata/m2m100-tiny"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("testdata/m2m100-tiny not found");
        }
        return dir.resolve("testdata/m2m100-tiny");
    }

    private static Result run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        TokenizeCommand cmd = new TokenizeCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                out, new PrintStream(err, true, StandardCharsets.UTF_8));
        CommandLine cl = Cli.commandLine(cmd);
        cl.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
        int code = cl.execute(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void encodesOneJsonStringPerLine() {
        Result r = run("\"Life is like a box of chocolates.\"\n\"\"\n\"人生はチョコレートの箱のようなものだ。\"\n",
                "--model", modelDir().toString(), "--lang", "en");
        assertEquals(0, r.code(), r.err());
        assertEquals("[4011,118,406,31,241,44,203,31,62,1968,104,260,159,2728,49,33,10,2]\n"
                + "[4011,2]\n"
                + "[4011,4,3579,1182,228,1475,3499,1133,591,2477,56,3777,56,1642,1221,306,1613,56,3206,110,2]\n", r.out());
    }

    @Test
    void decodesOneJsonArrayPerLine() {
        Result r = run("[4035,4,3579,1182,228,1475,3499,1133,591,2477,56,3777,56,1642,1221,306,1613,56,3206,110,2]\n"
                + "[4011, 62, 2, 48, 4017, 64, 3, 2]\n", "--model", modelDir().toString(), "--decode");
        assertEquals(0, r.code(), r.err());
        assertEquals("\"人生はチョコレートの箱のようなものだ。\"\n\"a b c\"\n", r.out());
        Result special = run("[4011, 62, 2, 48, 4017, 64, 3, 2]\n", "--model", modelDir().toString(), "--decode",
                "--keep-special");
        assertEquals("\"__en__ a</s>b __fr__ c<unk></s>\"\n", special.out());
    }

    @Test
    void badLinesAreReportedWithTheirNumber() {
        Result r = run("\"ok\"\n[1,2]\n\"never reached\"\n", "--model", modelDir().toString(), "--lang", "en");
        assertEquals(2, r.code());
        assertEquals("[4011,2687,2]\n", r.out(), "lines before the bad one are written");
        assertTrue(r.err().contains("line 2") && r.err().contains("expected a JSON string"), r.err());

        Result bad = run("[1, \"x\"]\n", "--model", modelDir().toString(), "--decode");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("line 1") && bad.err().contains("element 1"), bad.err());

        Result trailing = run("\"a\" \"b\"\n", "--model", modelDir().toString(), "--lang", "en");
        assertEquals(2, trailing.code());
        assertTrue(trailing.err().contains("line 1") && trailing.err().contains("invalid JSON"), trailing.err());

        Result empty = run("\n", "--model", modelDir().toString(), "--lang", "en");
        assertEquals(2, empty.code());
        assertTrue(empty.err().contains("line 1"), empty.err());
    }

    @Test
    void usageErrors() {
        Result lang = run("\"x\"\n", "--model", modelDir().toString(), "--lang", "xx");
        assertEquals(2, lang.code());
        assertTrue(lang.err().contains("unsupported language 'xx'") && lang.err().contains("zu"), lang.err());
        Result noLang = run("\"x\"\n", "--model", modelDir().toString());
        assertEquals(2, noLang.code());
        assertTrue(noLang.err().contains("--lang"), noLang.err());
        Result noModel = run("\"x\"\n", "--model", "/definitely/not/here", "--lang", "en");
        assertEquals(2, noModel.code(), "a model folder that does not exist is a bad argument");
        assertTrue(noModel.err().contains("/definitely/not/here"), noModel.err());
    }

    @Test
    void isRegisteredInMain() {
        assertTrue(new CommandLine(new Main()).getSubcommands().containsKey("tokenize"));
    }
}
