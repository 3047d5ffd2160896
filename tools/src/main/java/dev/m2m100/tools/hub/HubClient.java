package dev.m2m100.tools.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two Hugging Face hub endpoints a download needs: the model API (file list with LFS sizes and sha256)
 * and {@code resolve} (file bytes, usually a redirect to a CDN). Downloads go to {@code <file>.part}, resume
 * with an HTTP Range request, are checked against the hub's sha256 (LFS) or git blob id, and are renamed into
 * place only when they verify.
 */
public final class HubClient {

    private static final int MAX_REDIRECTS = 10;
    private static final int MAX_ATTEMPTS = 4;
    /** A transfer with no bytes for this long is dropped and resumed. */
    static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private final HubSettings settings;
    private final HttpClient http;
    private final PrintStream log;
    private final boolean interactive;
    private final LongSupplier clock;
    private final Duration stallTimeout;

    public HubClient(HubSettings settings, PrintStream log, boolean interactive) {
        this(settings, log, interactive, System::nanoTime, DEFAULT_STALL_TIMEOUT);
    }

    HubClient(HubSettings settings, PrintStream log, boolean interactive, LongSupplier clock, Duration stallTimeout) {
        this.settings = settings;
        this.log = log;
        this.interactive = interactive;
        this.clock = clock;
        this.stallTimeout = stallTimeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NEVER) // followed by hand: keep Range, drop the token off-host
                .build();
    }

    public HubSettings settings() {
        return settings;
    }

    /** Lists the files of {@code modelId} at {@code revision}. */
    public RepoInfo repoInfo(String modelId, String revision) throws IOException {
        URI uri = URI.create(settings.endpoint() + "/api/models/" + modelId + "/revision/" + encode(revision) + "?blobs=true");
        HttpResponse<InputStream> r = send(uri, null, modelId, revision, null);
        JsonNode root;
        try (InputStream body = r.body()) {
            root = new ObjectMapper().readTree(body);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new HubException(HubException.Kind.BAD_REPOSITORY, uri + " did not return JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode siblings = root.get("siblings");
        if (siblings == null || !siblings.isArray()) {
            throw new HubException(HubException.Kind.BAD_REPOSITORY, uri + " returned no 'siblings' file list");
        }
        Map<String, RepoFile> files = new LinkedHashMap<>();
        for (JsonNode s : siblings) {
            String name = s.path("rfilename").asText(null);
            if (name == null) {
                continue;
            }
            JsonNode lfs = s.get("lfs");
            long size = lfs != null && lfs.has("size") ? lfs.get("size").asLong() : s.path("size").asLong(-1);
            String sha256 = lfs != null ? lfs.path("sha256").asText(null) : null;
            String blob = lfs == null ? s.path("blobId").asText(null) : null;
            files.put(name, new RepoFile(name, size, sha256, blob));
        }
        return new RepoInfo(modelId, revision, root.path("sha").asText(revision), files);
    }

    /**
     * Downloads {@code file} of the repository to {@code target}, resuming {@code target.part} if present.
     * Retries an interrupted transfer (resuming) a few times before giving up.
     */
    public void download(RepoInfo repo, RepoFile file, Path target) throws IOException {
        URI uri = URI.create(settings.endpoint() + "/" + repo.modelId() + "/resolve/" + encode(repo.commit()) + "/"
                + file.path());
        Path part = target.resolveSibling(target.getFileName() + ".part");
        Files.createDirectories(target.toAbsolutePath().getParent());
        HubException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                fetch(uri, repo, file, part);
                last = null;
                break;
            } catch (HubException e) {
                if (e.kind() != HubException.Kind.INTERRUPTED) {
                    throw e;
                }
                last = e;
                log.println(e.getMessage() + (attempt < MAX_ATTEMPTS ? " — resuming (attempt " + (attempt + 1) + " of "
                        + MAX_ATTEMPTS + ")" : ""));
                if (attempt < MAX_ATTEMPTS) {
                    pause(500L * attempt);
                }
            }
        }
        if (last != null) {
            throw new HubException(HubException.Kind.INTERRUPTED, last.getMessage()
                    + "; the partial file " + part + " is kept: run the command again to resume", last);
        }
        verify(file, part);
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void pause(long millis) throws HubException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(HubException.Kind.INTERRUPTED, "interrupted", e);
        }
    }

    /** Transfers the missing bytes of {@code part}; returns when the server sent everything it promised. */
    private void fetch(URI uri, RepoInfo repo, RepoFile file, Path part) throws IOException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        if (file.size() >= 0 && have > file.size()) {
            Files.delete(part); // longer than the real file: cannot be a prefix of it
            have = 0;
        }
        if (file.size() >= 0 && have == file.size()) {
            return; // complete already; verify() decides if it is right
        }
        HttpResponse<InputStream> r = send(uri, have > 0 ? "bytes=" + have + "-" : null, repo.modelId(), repo.revision(), file.path());
        boolean append;
        if (r.statusCode() == 206) {
            long start = rangeStart(r, uri);
            if (start != have) {
                r.body().close();
                throw new HubException(HubException.Kind.HTTP_ERROR, uri + " answered the range request for byte "
                        + have + " with a range starting at " + start);
            }
            append = true;
        } else {
            append = false; // 200: the server ignored the range, start over
            have = 0;
        }
        long expected = file.size() >= 0 ? file.size() : r.headers().firstValueAsLong("content-length").orElse(-1);
        long announced = have + r.headers().firstValueAsLong("content-length").orElse(-1);
        if (file.size() >= 0 && announced >= have && announced != file.size()) {
            r.body().close();
            Files.deleteIfExists(part);
            throw new HubException(HubException.Kind.INTEGRITY, "integrity check failed for " + file.path() + ": the"
                    + " server sends " + announced + " bytes, the hub lists " + file.size() + ". The download was"
                    + " deleted; run the command again to retry");
        }
        ProgressBar bar = new ProgressBar(log, interactive, clock, file.path(), expected, have);
        long done = have;
        InputStream body = r.body();
        StallGuard guard = new StallGuard(body, stallTimeout);
        try (body; guard;
             FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = body.read(buf)) > 0) {
                guard.progress();
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) {
                    out.write(bb);
                }
                done += n;
                bar.update(done);
            }
        } catch (IOException e) {
            String why = guard.stalled() ? String.format(java.util.Locale.ROOT, "no data for %.1f s", stallTimeout.toMillis() / 1000.0) : String.valueOf(e.getMessage());
            throw new HubException(HubException.Kind.INTERRUPTED, "download of " + file.path() + " was interrupted at "
                    + ProgressBar.bytes(done) + (expected > 0 ? " of " + ProgressBar.bytes(expected) : "") + " ("
                    + why + ")", e);
        }
        if (expected >= 0 && done < expected) {
            throw new HubException(HubException.Kind.INTERRUPTED, "download of " + file.path() + " ended at "
                    + ProgressBar.bytes(done) + " of " + ProgressBar.bytes(expected));
        }
        bar.finish();
    }

    /** Checks size and hash; a file that fails is deleted so that it is never taken for a good one. */
    private void verify(RepoFile file, Path part) throws IOException {
        long size = Files.size(part);
        String problem = null;
        if (file.size() >= 0 && size != file.size()) {
            problem = "size " + size + " bytes, expected " + file.size();
        } else if (file.sha256() != null) {
            String got = digest(part, "SHA-256", null);
            if (!got.equalsIgnoreCase(file.sha256())) {
                problem = "sha256 " + got + ", expected " + file.sha256() + " (from the hub's LFS metadata)";
            }
        } else if (file.gitBlobId() != null) {
            String got = digest(part, "SHA-1", ("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
            if (!got.equalsIgnoreCase(file.gitBlobId())) {
                problem = "git blob id " + got + ", expected " + file.gitBlobId();
            }
        }
        if (problem != null) {
            Files.deleteIfExists(part);
            throw new HubException(HubException.Kind.INTEGRITY, "integrity check failed for " + file.path() + ": "
                    + problem + ". The download was deleted; run the command again to retry");
        }
    }

    /** True when {@code path} already holds exactly this file (size and hash). */
    public static boolean matches(RepoFile file, Path path) throws IOException {
        if (!Files.isRegularFile(path) || (file.size() >= 0 && Files.size(path) != file.size())) {
            return false;
        }
        if (file.sha256() != null) {
            return digest(path, "SHA-256", null).equalsIgnoreCase(file.sha256());
        }
        if (file.gitBlobId() != null) {
            return digest(path, "SHA-1", ("blob " + Files.size(path) + "\0").getBytes(StandardCharsets.US_ASCII))
                    .equalsIgnoreCase(file.gitBlobId());
        }
        return file.size() >= 0;
    }

    static String digest(Path file, String algorithm, byte[] prefix) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " missing from the JDK", e);
        }
        if (prefix != null) {
            md.update(prefix);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** GET with manual redirects; maps failures to {@link HubException}s that say what to do. */
    private HttpResponse<InputStream> send(URI uri, String range, String modelId, String revision, String file)
            throws IOException {
        URI current = uri;
        String endpointHost = URI.create(settings.endpoint()).getHost();
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(current).GET().timeout(Duration.ofSeconds(60))
                    .header("User-Agent", "m2m100-jvm/0.1");
            if (settings.token() != null && Objects.equals(current.getHost(), endpointHost)) {
                b.header("Authorization", "Bearer " + settings.token());
            }
            if (range != null) {
                b.header("Range", range);
            }
            HttpResponse<InputStream> r;
            try {
                r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HubException(HubException.Kind.INTERRUPTED, "interrupted while contacting " + current.getHost(), e);
            } catch (IOException e) {
                throw new HubException(HubException.Kind.UNREACHABLE, "cannot reach " + current.getScheme() + "://"
                        + current.getAuthority() + " (" + describe(e) + "). Are you offline? Set HF_ENDPOINT to a"
                        + " reachable mirror, or pass a local model folder instead of a model id", e);
            }
            int code = r.statusCode();
            if (code >= 300 && code < 400 && code != 304) {
                String location = r.headers().firstValue("location").orElse(null);
                r.body().close();
                if (location == null) {
                    throw new HubException(HubException.Kind.HTTP_ERROR, current + " redirected (" + code + ") without a Location");
                }
                current = current.resolve(location);
                continue;
            }
            if (code == 200 || code == 206) {
                return r;
            }
            String errorCode = r.headers().firstValue("x-error-code").orElse("");
            String serverMessage = r.headers().firstValue("x-error-message").orElse("");
            r.body().close();
            String what = file == null ? "model '" + modelId + "' at revision '" + revision + "'"
                    : "file '" + file + "' of model '" + modelId + "' (revision '" + revision + "')";
            String detail = serverMessage.isEmpty() ? "" : " — hub says: " + serverMessage;
            if (code == 404 || errorCode.equals("RepoNotFound") || errorCode.equals("RevisionNotFound")
                    || errorCode.equals("EntryNotFound")) {
                String hint = settings.token() == null ? " (or it is private/gated: set HF_TOKEN)" : "";
                throw new HubException(HubException.Kind.NOT_FOUND, what + " not found on " + settings.endpoint()
                        + " (HTTP " + code + (errorCode.isEmpty() ? "" : ", " + errorCode) + ")" + hint + detail);
            }
            if (code == 401 || code == 403) {
                throw new HubException(HubException.Kind.UNAUTHORIZED, "access to " + what + " denied by "
                        + settings.endpoint() + " (HTTP " + code + "): " + (settings.token() == null
                        ? "the model is gated or private; set HF_TOKEN to a token that has access"
                        : "the token in HF_TOKEN has no access to it (accept the model's terms on the hub?)") + detail);
            }
            throw new HubException(HubException.Kind.HTTP_ERROR, "GET " + current + " failed with HTTP " + code + detail);
        }
        throw new HubException(HubException.Kind.HTTP_ERROR, uri + ": more than " + MAX_REDIRECTS + " redirects");
    }

    private static long rangeStart(HttpResponse<?> r, URI uri) throws HubException {
        String cr = r.headers().firstValue("content-range").orElse("");
        Matcher m = CONTENT_RANGE.matcher(cr);
        if (!m.matches()) {
            throw new HubException(HubException.Kind.HTTP_ERROR, uri + " sent 206 with Content-Range '" + cr + "'");
        }
        return Long.parseLong(m.group(1));
    }

    /** "ConnectException caused by UnresolvedAddressException", with the first message found. */
    private static String describe(IOException e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(sb.isEmpty() ? "" : " caused by ").append(t.getClass().getSimpleName());
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return sb.append(": ").append(t.getMessage()).toString();
            }
        }
        return sb.toString();
    }

    private static String encode(String revision) {
        return URLEncoder.encode(revision, StandardCharsets.UTF_8);
    }
}
