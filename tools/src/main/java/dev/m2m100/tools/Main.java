package dev.m2m100.tools;

import dev.m2m100.engine.Version;
import dev.m2m100.engine.backend.cpu.gemm.VectorWidth;
import dev.m2m100.tools.cli.Cli;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Entry point of the {@code ./m2m100} launcher: one sub-command per job. Exit status of every command: 0 ok,
 * 1 the work failed, 2 bad arguments or bad input ({@link Cli}); no sub-command prints the usage and exits 2.
 */
@Command(name = "m2m100",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "M2M100 translation engine and service for the JVM.",
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {"0:ok", "1:the work failed (I/O, network, model load, translation)",
                "2:bad arguments or bad input"},
        subcommands = {
                CommandLine.HelpCommand.class,
                dev.m2m100.tools.convert.ConvertCommand.class,
                dev.m2m100.tools.randommodel.RandomModelCommand.class,
                TokenizeCommand.class,
                ServeCommand.class,
                dev.m2m100.tools.load.LoadCommand.class,
                TranslateCommand.class,
                dev.m2m100.tools.hub.DownloadCommand.class,
                BenchCommand.class,
                KernelBenchCommand.class,
                TextBenchCommand.class,
        })
public final class Main implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, System.getenv()));
    }

    /**
     * Runs a command line under the environment {@code env}. Settings that the engine reads from the environment
     * on first use are checked here first, so that a bad value is a usage error (2) with one clear line rather
     * than a failure deep inside a command.
     */
    static int run(String[] args, Map<String, String> env) {
        try {
            VectorWidth.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            System.err.println("m2m100: " + e.getMessage());
            return Cli.USAGE;
        }
        return Cli.commandLine(new Main()).execute(args);
    }

    /** No sub-command: a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Cli.USAGE;
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"m2m100-jvm " + Version.current()};
        }
    }
}
