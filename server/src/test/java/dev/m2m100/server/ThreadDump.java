package dev.m2m100.server;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Every thread's stack, virtual threads included, for a test that timed out to say where things stood. */
final class ThreadDump {
    private ThreadDump() {
    }

    static String all() {
        try {
            Path dir = Files.createTempDirectory("m2m100-threads");
            Path file = dir.resolve("threads.txt");
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
            String text = Files.readString(file);
            Files.delete(file);
            Files.delete(dir);
            return "thread dump:\n" + text;
        } catch (IOException | RuntimeException e) {
            return "(no thread dump: " + e + ")";
        }
    }
}
