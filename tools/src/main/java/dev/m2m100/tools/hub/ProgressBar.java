package dev.m2m100.tools.hub;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Download progress on stderr: a bar redrawn in place (bytes, rate, ETA) when stderr is a terminal, plain
 * lines every few seconds otherwise (logs, CI, Kubernetes init containers).
 */
public final class ProgressBar {

    private static final long REDRAW_NANOS = 200_000_000L;
    private static final long LINE_NANOS = 5_000_000_000L;
    private static final int WIDTH = 28;

    private final PrintStream out;
    private final boolean interactive;
    private final LongSupplier clock;
    private final String label;
    private final long total;
    private final long startBytes;
    private final long startNanos;
    private long lastPrint;
    private long done;

    /**
     * @param total      expected size in bytes, or -1 if unknown
     * @param startBytes bytes already on disk (a resumed download); the rate counts only new bytes
     */
    public ProgressBar(PrintStream out, boolean interactive, LongSupplier clock, String label, long total, long startBytes) {
        this.out = out;
        this.interactive = interactive;
        this.clock = clock;
        this.label = label;
        this.total = total;
        this.startBytes = startBytes;
        this.done = startBytes;
        this.startNanos = clock.getAsLong();
        this.lastPrint = startNanos;
        if (!interactive) {
            out.println(label + ": " + (startBytes > 0 ? "resuming at " + bytes(startBytes) + " of " : "downloading ")
                    + (total >= 0 ? bytes(total) : "unknown size"));
        }
    }

    /** True when {@code System.console()} is attached to a terminal. */
    public static boolean stderrIsTerminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    public void update(long bytesDone) {
        done = bytesDone;
        long now = clock.getAsLong();
        if (now - lastPrint >= (interactive ? REDRAW_NANOS : LINE_NANOS)) {
            lastPrint = now;
            print(now, false);
        }
    }

    public void finish() {
        print(clock.getAsLong(), true);
    }

    private void print(long now, boolean last) {
        double secs = Math.max(1e-9, (now - startNanos) / 1e9);
        double rate = (done - startBytes) / secs;
        StringBuilder sb = new StringBuilder();
        if (interactive) {
            sb.append('\r');
        }
        sb.append(label).append(' ');
        if (total > 0) {
            int pct = (int) Math.min(100, done * 100 / total);
            sb.append(String.format(Locale.ROOT, "%3d%% ", pct));
            if (interactive) {
                int filled = (int) (WIDTH * Math.min(1.0, (double) done / total));
                sb.append('[').append("=".repeat(filled)).append(filled < WIDTH ? ">" : "")
                        .append(" ".repeat(Math.max(0, WIDTH - filled - 1))).append("] ");
            }
            sb.append(bytes(done)).append(" / ").append(bytes(total));
        } else {
            sb.append(bytes(done));
        }
        sb.append("  ").append(bytes((long) rate)).append("/s");
        if (last) {
            sb.append(String.format(Locale.ROOT, "  done in %.1f s", secs));
        } else if (total > 0 && rate > 0) {
            sb.append("  ETA ").append(duration((total - done) / rate));
        }
        if (interactive) {
            sb.append("\u001b[K");
            if (last) {
                sb.append('\n');
            }
            out.print(sb);
        } else {
            out.println(sb);
        }
        out.flush();
    }

    static String bytes(long b) {
        if (b < 1000) {
            return b + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = b;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
