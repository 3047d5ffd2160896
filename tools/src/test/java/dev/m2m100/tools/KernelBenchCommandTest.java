package dev.m2m100.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code m2m100 bench-kernels}: one line per (format, m, shape) with positive figures; bad options exit 2. */
class KernelBenchCommandTest {

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new CommandLine(new KernelBenchCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))).execute(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printsOneLinePerCase() {
        Result r = run("--threads", "2", "--formats", "f32,int8", "--m", "1,7", "--shapes", "40x48,24x16",
                "--reps", "2", "--min-ms", "5", "--warmup-ms", "5", "--no-bandwidth");
        assertEquals(0, r.code(), r.err());
        Pattern line = Pattern.compile("gemm fmt=(\\w+) m=(\\d+) k=(\\d+) n=(\\d+) ms=([\\d.]+) gflops=([\\d.]+) .*");
        int cases = 0;
        for (String l : r.out().split("\n")) {
            Matcher m = line.matcher(l);
            if (m.matches()) {
                cases++;
                assertTrue(Double.parseDouble(m.group(5)) > 0, l);
                assertTrue(m.group(1).equals("f32") || m.group(1).equals("int8"), l);
            }
        }
        assertEquals(2 * 2 * 2, cases, r.out());
        assertTrue(r.out().contains("gemm fmt=int8 m=7 k=24 n=16 "), r.out());
        assertTrue(!r.out().contains("bandwidth gbps"), "--no-bandwidth");
    }

    @Test
    void copiesArePackedAndReported() {
        Result r = run("--threads", "1", "--formats", "bf16", "--m", "3", "--shapes", "32x48", "--reps", "1",
                "--min-ms", "5", "--warmup-ms", "5", "--no-bandwidth", "--copies", "3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(" copies=3 "), r.out());
        assertTrue(r.out().contains("# packed BF16 48x32 in "), r.out());
        assertTrue(r.out().contains(", 3 copies)"), r.out());
        assertTrue(r.out().contains("gemm fmt=bf16 m=3 k=32 n=48 "), r.out());
    }

    @Test
    void badOptionsExitWithTwoAndSayWhy() {
        assertBad(run("--m", "0"), "--m takes a whole number >= 1, got '0'");
        assertBad(run("--shapes", "1024"), "--shapes takes KxN[,KxN...], got '1024'");
        assertBad(run("--formats", "f8"), "unknown weight format 'f8'");
        assertBad(run("--bogus"), "unknown argument --bogus");
        assertBad(run("--threads"), "--threads needs a value");
        assertBad(run("--copies", "0"), "--copies takes a whole number >= 1, got '0'");
    }

    private static void assertBad(Result r, String message) {
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains(message), r.err());
        assertTrue(!r.err().contains("Exception"), r.err());
    }
}
