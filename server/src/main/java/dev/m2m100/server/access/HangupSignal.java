package dev.m2m100.server.access;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.lang.System.Logger.Level;

/**
 * SIGHUP as "reload the API key file" (the usual meaning for daemons). Installing a handler also stops SIGHUP
 * from ending the JVM, so it is installed only when there is a key file to reload. {@code sun.misc.Signal}
 * (module jdk.unsupported) is the JDK's only way to handle a signal.
 */
public final class HangupSignal implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(HangupSignal.class.getName());
    private static final Signal HUP = new Signal("HUP");

    private final SignalHandler previous;

    private HangupSignal(SignalHandler previous) {
        this.previous = previous;
    }

    /**
     * Runs {@code action} on every SIGHUP until closed (instead of the JVM's own handling, which would shut the
     * process down); null where the platform has no SIGHUP.
     */
    public static HangupSignal install(Runnable action) {
        try {
            return new HangupSignal(Signal.handle(HUP, signal -> action.run()));
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "SIGHUP cannot be handled here (" + e.getMessage()
                    + "); API_KEYS_FILE is still re-read when it changes");
            return null;
        }
    }

    @Override
    public void close() {
        Signal.handle(HUP, previous);
    }
}
