package dev.m2m100.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.m2m100.tools.cli.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command line as a whole: exit statuses 0/1/2 for every command, usage without a sub-command, help that is
 * not cut, and one spelling (and one description) per option across commands.
 */
class CommandLineTest {

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Cli.commandLine(new Main());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void noSubcommandPrintsTheUsageAndIsAUsageError() {
        Run r = run();
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("Usage: m2m100 ") && r.err().contains("Commands:"), r.err());
        assertTrue(r.err().contains("Exit status:"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void unknownSubcommandsAndOptionsAreUsageErrorsInOneLine() {
        Run unknown = run("transalte");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("Did you mean: m2m100 translate"), unknown.err());
        assertTrue(unknown.err().startsWith("m2m100: Unmatched argument"), unknown.err());
        for (String command : subcommands()) {
            Run bad = run(command, "--no-such-option");
            assertEquals(2, bad.exit(), command + ": " + bad.err());
            // bench-kernels reports its own argument errors on its own stream (KernelBenchCommandTest checks them).
            assertTrue(command.equals("bench-kernels") || bad.err().startsWith("m2m100 " + command + ": "),
                    command + ": " + bad.err());
            assertTrue(bad.err().lines().count() <= 3, "a short message, not the whole help: " + bad.err());
        }
    }

    @Test
    void everyCommandsHelpExitsZeroAndFitsTheWidthWithoutBrokenWords() {
        for (int width : new int[] {80, Cli.HELP_WIDTH}) {
            for (String command : subcommands()) {
                CommandLine cl = Cli.commandLine(new Main());
                cl.setUsageHelpAutoWidth(false);
                cl.setUsageHelpWidth(width);
                CommandLine sub = cl.getSubcommands().get(command);
                String help = sub.getUsageMessage();
                for (String line : help.lines().toList()) {
                    assertTrue(line.length() <= width, command + " help line over " + width + " columns: " + line);
                }
                // Wrapping may only break at spaces: every description, whitespace collapsed, is in the help.
                String flat = collapse(help);
                List<String> texts = new ArrayList<>(Arrays.asList(sub.getCommandSpec().usageMessage().description()));
                for (OptionSpec o : sub.getCommandSpec().options()) {
                    texts.addAll(Arrays.asList(o.description()));
                }
                for (String text : texts) {
                    String expected = collapse(text.replace("${DEFAULT-VALUE}", ""));
                    for (String part : expected.split("\\$\\{[^}]*}")) {
                        assertTrue(flat.contains(part.strip()), command + " at " + width + " columns: '" + part
                                + "' is cut in\n" + help);
                    }
                }
            }
            Run help = run("--help");
            assertEquals(0, help.exit());
        }
    }

    /** One spelling per meaning: the shared options come from one mixin each, with one description. */
    @Test
    void sharedOptionsHaveOneSpellingAndOneDescription() {
        CommandLine cl = Cli.commandLine(new Main());
        Map<String, Set<String>> sharedBy = Map.of(
                "--device", Set.of("serve", "translate", "bench"),
                "--dtype", Set.of("serve", "translate", "bench"),
                "--threads", Set.of("serve", "translate", "bench"),
                "--model", Set.of("serve", "translate", "bench", "tokenize"),
                "--beam-size", Set.of("translate", "load", "bench"));
        for (var e : sharedBy.entrySet()) {
            List<String> descriptions = new ArrayList<>();
            for (String command : e.getValue()) {
                CommandSpec spec = cl.getSubcommands().get(command).getCommandSpec();
                OptionSpec o = spec.findOption(e.getKey());
                assertTrue(o != null, command + " has no " + e.getKey());
                if (!command.equals("serve") && !command.equals("bench")) {
                    descriptions.add(String.join(" ", o.description()));
                }
            }
            assertEquals(1, descriptions.stream().distinct().count(), e.getKey() + ": " + descriptions);
        }
        for (String command : List.of("translate", "load")) {
            OptionSpec beams = cl.getSubcommands().get(command).getCommandSpec().findOption("--beams");
            assertTrue(beams != null && Arrays.asList(beams.names()).contains("--beam-size"), command);
            OptionSpec max = cl.getSubcommands().get(command).getCommandSpec().findOption("--max-new-tokens");
            assertTrue(max != null && Arrays.asList(max.names()).contains("--max-length"), command);
        }
    }

    @Test
    void convertNamesWhatIsWrong(@TempDir Path tmp) throws Exception {
        Run int8 = run("convert", "--in", "x.bin", "--out", "y.safetensors", "--dtype", "int8");
        assertEquals(2, int8.exit());
        assertTrue(int8.err().contains("--dtype int8 is not a conversion target") && int8.err().contains("f32, f16 or bf16"),
                int8.err());
        Run i8 = run("convert", "--in", "x.bin", "--out", "y.safetensors", "--dtype", "i8");
        assertEquals(2, i8.exit());
        assertTrue(i8.err().contains("--dtype i8 is not a conversion target"), i8.err());
        Run f8 = run("convert", "--in", "x.bin", "--out", "y.safetensors", "--dtype", "f8");
        assertEquals(2, f8.exit());
        assertTrue(f8.err().contains("expected f32, f16 or bf16"), f8.err());
        Path in = Files.writeString(tmp.resolve("pytorch_model.bin"), "not a checkpoint");
        Run noFolder = run("convert", "--in", in.toString(), "--out", "/nonexist/dir/x.safetensors");
        assertEquals(2, noFolder.exit());
        assertEquals("m2m100 convert: --out /nonexist/dir/x.safetensors: folder /nonexist/dir does not exist",
                noFolder.err().strip());
        Run noInput = run("convert", "--in", tmp.resolve("missing.bin").toString(), "--out", "y.safetensors");
        assertEquals(2, noInput.exit());
        assertTrue(noInput.err().contains("missing.bin: no such file"), noInput.err());
        Run notZip = run("convert", "--in", in.toString(), "--out", tmp.resolve("x.safetensors").toString());
        assertEquals(1, notZip.exit(), notZip.err());
        assertTrue(notZip.err().startsWith("m2m100 convert: cannot convert ") && !notZip.err().contains("\tat "),
                notZip.err());
    }

    @Test
    void otherCommandsUseTheSameStatuses(@TempDir Path tmp) {
        Run preset = run("random-model", "--preset", "gpt2", "--out", tmp.resolve("m").toString());
        assertEquals(2, preset.exit());
        assertTrue(preset.err().contains("unknown preset 'gpt2'") && preset.err().contains("tiny"), preset.err());
        Run i8 = run("random-model", "--preset", "tiny", "--dtype", "i8", "--out", tmp.resolve("m").toString());
        assertEquals(2, i8.exit(), i8.err());
        Run url = run("load", "--url", "localhost");
        assertEquals(2, url.exit(), url.err());
        assertTrue(url.err().contains("--url must be like http://host:port"), url.err());
        Run id = run("download", "not a model id", "--out", tmp.resolve("d").toString());
        assertEquals(2, id.exit(), id.err());
        Run pair = run("bench", "--model", "x", "--device", "cuda:0", "--dtype", "bf16");
        assertEquals(2, pair.exit(), pair.err());
        assertTrue(pair.err().contains("cuda:0 cannot use dtype bf16"), pair.err());
        Run device = run("bench", "--model", "x", "--device", "tpu");
        assertEquals(2, device.exit(), device.err());
        assertTrue(device.err().contains("device 'tpu' is not one of auto, cpu, cuda, cuda:N"), device.err());
        assertFalse(device.err().contains("Exception"), device.err());
    }

    private static List<String> subcommands() {
        return Cli.commandLine(new Main()).getSubcommands().keySet().stream().filter(c -> !c.equals("help")).toList();
    }

    private static String collapse(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }

    /** A bad M2M100_VECTOR_BITS is a usage error with one clear line, before any command runs (a real process). */
    @Test
    void aBadVectorWidthSettingIsAUsageError() {
        CliProcess.Result r = CliProcess.run(Map.of("M2M100_VECTOR_BITS", "384"), "", java.time.Duration.ofSeconds(60),
                "bench-kernels", "--m", "1", "--shapes", "16x16", "--no-bandwidth");
        assertEquals(2, r.exit(), r.err());
        assertEquals("m2m100: M2M100_VECTOR_BITS='384' is not a vector width: expected 256 or 512", r.err().strip());
    }
}
