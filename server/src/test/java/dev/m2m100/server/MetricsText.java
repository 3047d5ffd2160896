package dev.m2m100.server;

/** Reads values out of Prometheus text exposition format for assertions. */
final class MetricsText {
    private MetricsText() {}

    /** Sum of every sample of {@code name} whose label set contains all of {@code labels}. */
    static double sum(String text, String name, String... labels) {
        double total = 0;
        for (String line : text.split("\n")) {
            if (!sampleOf(line, name)) {
                continue;
            }
            boolean all = true;
            for (String l : labels) {
                all &= line.contains(l);
            }
            if (all) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    static boolean has(String text, String name) {
        for (String line : text.split("\n")) {
            if (sampleOf(line, name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sampleOf(String line, String name) {
        return line.startsWith(name + "{") || line.startsWith(name + " ");
    }
}
