package dev.m2m100.tools.cli;

/**
 * An expected failure of a command, with its exit status: {@link Cli#USAGE} for bad arguments or bad input,
 * {@link Cli#FAILED} when the work itself failed. {@link Cli} prints the message as one line, no stack trace.
 */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    private CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** Bad arguments or bad input: exit status 2. */
    public static CliException usage(String message) {
        return new CliException(Cli.USAGE, message, null);
    }

    /** The work failed (I/O, network, model load, ...): exit status 1. */
    public static CliException failed(String message, Throwable cause) {
        return new CliException(Cli.FAILED, message, cause);
    }

    public int exitCode() {
        return exitCode;
    }
}
