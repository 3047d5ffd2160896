package dev.m2m100.tools.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The exit statuses of every command, and the picocli set-up that gives them: 0 ok, 1 the work failed, 2 bad
 * arguments or bad input. Errors are one line on stderr naming the command; a usage error adds where to look.
 */
public final class Cli {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    /** Help is laid out for this many columns unless the terminal says otherwise. */
    public static final int HELP_WIDTH = 100;

    private Cli() {}

    /** A command line for {@code command} with the project's error handling and help layout. */
    public static CommandLine commandLine(Object command) {
        CommandLine cl = new CommandLine(command);
        cl.setUsageHelpWidth(HELP_WIDTH);
        cl.setUsageHelpAutoWidth(true);
        cl.setParameterExceptionHandler(Cli::badArguments);
        cl.setExecutionExceptionHandler(Cli::failed);
        return cl;
    }

    private static int badArguments(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println(cl.getCommandSpec().qualifiedName() + ": " + e.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
            err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for the options.");
        }
        err.flush();
        return USAGE;
    }

    private static int failed(Exception e, CommandLine cl, ParseResult parsed) {
        PrintWriter err = cl.getErr();
        String name = cl.getCommandSpec().qualifiedName();
        if (e instanceof CliException c) {
            err.println(name + ": " + c.getMessage());
            err.flush();
            return c.exitCode();
        }
        // Not an expected condition: a bug or an environment problem nobody anticipated; keep the trace.
        err.println(name + ": unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
        e.printStackTrace(err);
        err.flush();
        return FAILED;
    }
}
