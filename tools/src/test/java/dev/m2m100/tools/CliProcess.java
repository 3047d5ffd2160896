package dev.m2m100.tools;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The command line in a child JVM started the way the launchers start it (scripts/run-java.sh, the same JVM flags,
 * the test classpath): for what only a real process shows (exit status, environment, a port held elsewhere,
 * what exactly reaches stderr).
 */
public final class CliProcess {

    /** What the process did. */
    public record Result(int exit, String out, String err) {}

    private CliProcess() {}

    public static Result run(Map<String, String> env, String stdin, Duration timeout, String... args) {
        Path runJava = Path.of("..", "scripts", "run-java.sh").toAbsolutePath().normalize();
        List<String> command = new ArrayList<>(List.of("sh", "-c", ". \"$0\" && m2m100_run_java \"$@\"", runJava.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread o = drain(p.getInputStream(), out);
            Thread e = drain(p.getErrorStream(), err);
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                o.join();
                e.join();
                throw new AssertionError("m2m100 " + String.join(" ", args) + " still ran after " + timeout
                        + "; stderr so far:\n" + err.toString(StandardCharsets.UTF_8));
            }
            o.join();
            e.join();
            return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static Thread drain(InputStream from, ByteArrayOutputStream to) {
        return Thread.ofPlatform().daemon().start(() -> {
            try {
                from.transferTo(to);
            } catch (IOException ignored) {
                // the process is gone; what was read is kept
            }
        });
    }
}
