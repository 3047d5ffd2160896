package dev.m2m100.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code ./m2m100} launcher: one sub-command per job. */
@Command(name = "m2m100",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "M2M100 translation engine and service for the JVM.",
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
public final class Main implements Runnable {

    public static void main(String[] args) {
        int code = new CommandLine(new Main()).execute(args);
        System.exit(code);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"m2m100-jvm " + (v == null ? "dev" : v)};
        }
    }
}
