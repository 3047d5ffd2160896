package dev.m2m100.server.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * A set of API keys. Only their SHA-256 digests are kept; a presented key is digested and compared with every
 * configured digest in constant time ({@link MessageDigest#isEqual}, no early exit), so neither the timing nor
 * a heap dump says much about the keys. A key is identified to logs and to the scheduler's fairness only by
 * its position ({@code key-1}, {@code key-2}, …), never by its text. {@link #toString()} prints the count.
 */
public final class ApiKeys {
    public static final ApiKeys NONE = new ApiKeys(List.of());

    private final List<byte[]> digests;

    private ApiKeys(List<byte[]> digests) {
        this.digests = List.copyOf(digests);
    }

    /** Keys from a list (blank entries and surrounding whitespace ignored). */
    public static ApiKeys of(List<String> keys) {
        List<byte[]> digests = new ArrayList<>();
        for (String k : keys) {
            String key = k.strip();
            if (!key.isEmpty()) {
                digests.add(digest(key));
            }
        }
        return new ApiKeys(digests);
    }

    /** {@code API_KEYS}: comma-separated. */
    public static ApiKeys parseCommaSeparated(String value) {
        return value == null ? NONE : of(List.of(value.split(",")));
    }

    /** A key file: one key a line; blank lines and lines starting with {@code #} are ignored. */
    public static ApiKeys parseLines(String content) {
        List<String> keys = new ArrayList<>();
        for (String line : content.split("\\R")) {
            String key = line.strip();
            if (!key.isEmpty() && !key.startsWith("#")) {
                keys.add(key);
            }
        }
        return of(keys);
    }

    /** These keys followed by {@code more} (positions continue after these). */
    public ApiKeys plus(ApiKeys more) {
        List<byte[]> all = new ArrayList<>(digests);
        all.addAll(more.digests);
        return new ApiKeys(all);
    }

    public int size() {
        return digests.size();
    }

    public boolean isEmpty() {
        return digests.isEmpty();
    }

    /**
     * The position (1-based) of the presented key, or 0 when it is not one of these keys. Takes the same time
     * whichever key matches, or none.
     */
    public int match(String presented) {
        if (presented == null) {
            return 0;
        }
        byte[] d = digest(presented);
        int found = 0;
        for (int i = 0; i < digests.size(); i++) {
            boolean equal = MessageDigest.isEqual(d, digests.get(i));
            found = equal && found == 0 ? i + 1 : found;
        }
        return found;
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return "ApiKeys[" + digests.size() + " keys]";
    }
}
