package dev.m2m100.server.access;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code API_KEYS_FILE}: one key a line, read at start and again whenever its content changes (checked every
 * few seconds, which also catches Kubernetes' atomic symlink swap of a mounted Secret) or the process gets
 * SIGHUP ({@link #reload()}). A file that cannot be read on a reload keeps the keys it had, with a warning.
 */
public final class ApiKeyFile implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ApiKeyFile.class.getName());
    static final Duration DEFAULT_POLL = Duration.ofSeconds(5);

    private final Path path;
    private final Runnable onChange;
    private final ScheduledExecutorService poller;
    private volatile ApiKeys keys;
    private byte[] content; // guarded by this

    /**
     * Reads the file now.
     *
     * @param onChange run after each reload that changed the keys
     * @throws IllegalArgumentException naming API_KEYS_FILE when the file cannot be read at start
     */
    public ApiKeyFile(Path path, Duration poll, Runnable onChange) {
        this.path = path;
        this.onChange = onChange;
        byte[] first;
        try {
            first = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new IllegalArgumentException("API_KEYS_FILE " + path + " cannot be read: " + reason(e));
        }
        this.content = first;
        this.keys = ApiKeys.parseLines(new String(first, java.nio.charset.StandardCharsets.UTF_8));
        if (keys.isEmpty()) {
            LOG.log(Level.WARNING, "API_KEYS_FILE " + path + " has no keys: every translation request is refused (401)");
        }
        this.poller = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("m2m100-api-keys-file").factory());
        poller.scheduleWithFixedDelay(this::reload, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    public ApiKeys keys() {
        return keys;
    }

    /** Reads the file again; keeps the old keys when it cannot be read. Returns whether the keys changed. */
    public synchronized boolean reload() {
        byte[] now;
        try {
            now = Files.readAllBytes(path);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "API_KEYS_FILE " + path + " cannot be read (" + reason(e)
                    + "); keeping the " + keys.size() + " keys read before");
            return false;
        }
        if (Arrays.equals(now, content)) {
            return false;
        }
        content = now;
        keys = ApiKeys.parseLines(new String(now, java.nio.charset.StandardCharsets.UTF_8));
        LOG.log(Level.INFO, "API_KEYS_FILE reloaded: " + keys.size() + " keys");
        onChange.run();
        return true;
    }

    private static String reason(IOException e) {
        return switch (e) {
            case java.nio.file.NoSuchFileException n -> "no such file";
            case java.nio.file.AccessDeniedException a -> "permission denied";
            default -> e.getMessage();
        };
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
