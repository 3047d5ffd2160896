package dev.m2m100.server.access;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Who may translate: API keys ({@code API_KEYS}, {@code API_KEYS_FILE}) and the per-client rate
 * ({@code RATE_LIMIT_PER_MINUTE}: per key when keys are configured, per client address otherwise). Only the
 * translation and detection endpoints ask it; everything else stays open.
 */
public final class AccessGate implements AutoCloseable {
    private final ApiKeys listed;
    private final ApiKeyFile file;
    private final RateLimiter limiter;
    private volatile ApiKeys keys;

    /**
     * @param listed     keys given directly ({@code API_KEYS}); may be empty
     * @param file       a key file to read and watch ({@code API_KEYS_FILE}), if any
     * @param perMinute  requests per minute per client; 0 = unlimited
     */
    public AccessGate(ApiKeys listed, Optional<Path> file, int perMinute) {
        this(listed, file, perMinute, ApiKeyFile.DEFAULT_POLL);
    }

    AccessGate(ApiKeys listed, Optional<Path> file, int perMinute, Duration poll) {
        this.listed = listed;
        this.file = file.map(p -> new ApiKeyFile(p, poll, this::combine)).orElse(null);
        this.limiter = perMinute > 0 ? new RateLimiter(perMinute) : null;
        combine();
    }

    private void combine() {
        keys = file == null ? listed : listed.plus(file.keys());
    }

    /** Whether requests must present a key. */
    public boolean keysRequired() {
        return file != null || !listed.isEmpty();
    }

    /** Reads the key file again (SIGHUP); a no-op without one. */
    public void reloadKeys() {
        if (file != null) {
            file.reload();
        }
    }

    /**
     * Who sent a request.
     *
     * @param presentedKey the key the request carries (header or body field), or null
     * @param address      the client's address (the identity when no keys are configured)
     * @throws AccessDeniedException (401 material) without a valid key when keys are configured
     */
    public Client identify(String presentedKey, String address) {
        if (!keysRequired()) {
            return new Client(address);
        }
        if (presentedKey == null || presentedKey.isBlank()) {
            throw new AccessDeniedException(AccessDeniedException.Reason.MISSING_KEY, 0,
                    "an API key is required: send 'Authorization: Bearer KEY' or 'X-API-Key: KEY'"
                            + " (or the api_key field on /translate and /detect)");
        }
        int index = keys.match(presentedKey.strip());
        if (index == 0) {
            throw new AccessDeniedException(AccessDeniedException.Reason.WRONG_KEY, 0, "the API key is not valid");
        }
        return new Client("key-" + index);
    }

    /**
     * Takes one request from the client's allowance.
     *
     * @throws AccessDeniedException (429 material, with the seconds to wait) when it is used up
     */
    public void limit(Client client) {
        if (limiter == null) {
            return;
        }
        int wait = limiter.acquire(client.id());
        if (wait > 0) {
            throw new AccessDeniedException(AccessDeniedException.Reason.RATE_LIMITED, wait,
                    "rate limit of " + limiter.perMinute() + " requests per minute reached"
                            + " (RATE_LIMIT_PER_MINUTE); retry after " + wait + " s");
        }
    }

    @Override
    public void close() {
        if (file != null) {
            file.close();
        }
    }
}
