package dev.m2m100.tools.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback imitation of the Hugging Face hub: the model API ({@code /api/models/ID/revision/REV?blobs=true}
 * with LFS sha256 and git blob ids), {@code /ID/resolve/REV/FILE} (LFS files redirect to a CDN path, as the
 * real hub does) and byte ranges. Unknown repositories answer 401 RepoNotFound like the real hub; gated ones
 * 401 without the right bearer token. Faults can be injected: cut a transfer once, serve corrupt bytes.
 */
final class FakeHub implements AutoCloseable {

    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    record Repo(Map<String, byte[]> files, Set<String> lfs, String requiredToken) {
    }

    /** One request as the server saw it. */
    record Request(String path, String range, String authorization) {
    }

    private final HttpServer server;
    private final java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    /** File name → bytes to send before dropping the connection (first request for that file only). */
    final Map<String, Integer> cutOnce = new ConcurrentHashMap<>();
    /** File name → bytes to send before going silent (connection kept open), first request only. */
    final Map<String, Integer> stallOnce = new ConcurrentHashMap<>();
    static final long STALL_MILLIS = 30_000;
    /** File name → bytes served instead of the real ones (the metadata still describes the real ones). */
    final Map<String, byte[]> corrupt = new ConcurrentHashMap<>();

    FakeHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor); // a stalled handler must not block the others
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void addRepo(String id, Map<String, byte[]> files, Set<String> lfs, String requiredToken) {
        repos.put(id, new Repo(files, lfs, requiredToken));
        for (String f : lfs) {
            if (files.containsKey(f)) {
                blobs.put(sha256(files.get(f)), files.get(f));
            }
        }
    }

    long bytesServed(String pathSuffix) {
        return requests.stream().filter(r -> r.path().endsWith(pathSuffix)).count();
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        requests.add(new Request(path, ex.getRequestHeaders().getFirst("Range"),
                ex.getRequestHeaders().getFirst("Authorization")));
        try (ex) {
            if (path.startsWith("/api/models/")) {
                api(ex, path.substring("/api/models/".length()));
            } else if (path.startsWith("/cdn/")) {
                String sha = path.substring("/cdn/".length());
                byte[] blob = blobs.get(sha);
                if (blob == null) {
                    error(ex, 404, "EntryNotFound");
                } else {
                    serve(ex, fileNameOf(sha), blob);
                }
            } else {
                resolve(ex, path.substring(1));
            }
        }
    }

    private void api(HttpExchange ex, String rest) throws IOException {
        int r = rest.indexOf("/revision/");
        String id = rest.substring(0, r);
        String rev = java.net.URLDecoder.decode(rest.substring(r + "/revision/".length()), StandardCharsets.UTF_8);
        Repo repo = authorised(ex, id);
        if (repo == null) {
            return;
        }
        if (!rev.equals("main") && !rev.equals(COMMIT)) {
            error(ex, 404, "RevisionNotFound");
            return;
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("id", id);
        root.put("sha", COMMIT);
        ArrayNode siblings = root.putArray("siblings");
        for (Map.Entry<String, byte[]> f : repo.files().entrySet()) {
            ObjectNode s = siblings.addObject();
            s.put("rfilename", f.getKey());
            s.put("size", f.getValue().length);
            if (repo.lfs().contains(f.getKey())) {
                s.put("blobId", "pointer-blob-id-not-a-content-hash");
                ObjectNode lfs = s.putObject("lfs");
                lfs.put("sha256", sha256(f.getValue()));
                lfs.put("size", f.getValue().length);
                lfs.put("pointerSize", 134);
            } else {
                s.put("blobId", gitBlobId(f.getValue()));
            }
        }
        byte[] body = json.writeValueAsBytes(root);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
    }

    private void resolve(HttpExchange ex, String rest) throws IOException {
        int r = rest.indexOf("/resolve/");
        String id = rest.substring(0, r);
        String[] revAndFile = rest.substring(r + "/resolve/".length()).split("/", 2);
        Repo repo = authorised(ex, id);
        if (repo == null) {
            return;
        }
        if (!revAndFile[0].equals("main") && !revAndFile[0].equals(COMMIT)) {
            error(ex, 404, "RevisionNotFound");
            return;
        }
        byte[] data = repo.files().get(revAndFile[1]);
        if (data == null) {
            error(ex, 404, "EntryNotFound");
            return;
        }
        if (repo.lfs().contains(revAndFile[1])) {
            ex.getResponseHeaders().set("Location", "/cdn/" + sha256(data));
            ex.sendResponseHeaders(302, -1);
            return;
        }
        serve(ex, revAndFile[1], data);
    }

    private String fileNameOf(String sha) {
        for (Repo repo : repos.values()) {
            for (Map.Entry<String, byte[]> f : repo.files().entrySet()) {
                if (repo.lfs().contains(f.getKey()) && sha256(f.getValue()).equals(sha)) {
                    return f.getKey();
                }
            }
        }
        return sha;
    }

    private void serve(HttpExchange ex, String name, byte[] real) throws IOException {
        byte[] data = corrupt.getOrDefault(name, real);
        String range = ex.getRequestHeaders().getFirst("Range");
        int start = 0;
        if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
            start = Integer.parseInt(range.substring(6, range.length() - 1));
            ex.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + (data.length - 1) + "/" + data.length);
            ex.sendResponseHeaders(206, data.length - start);
        } else {
            ex.sendResponseHeaders(200, data.length);
        }
        OutputStream out = ex.getResponseBody();
        Integer cut = cutOnce.remove(name);
        if (cut != null) {
            out.write(data, start, cut - start);
            out.flush();
            // Failing the handler makes the server drop the connection mid-body.
            throw new IOException("fake hub: transfer of " + name + " cut at byte " + cut);
        }
        Integer stall = stallOnce.remove(name);
        if (stall != null) {
            out.write(data, start, stall - start);
            out.flush();
            try {
                Thread.sleep(STALL_MILLIS); // keep the connection open, send nothing
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("fake hub: transfer of " + name + " stalled at byte " + stall);
        }
        out.write(data, start, data.length - start);
    }

    private Repo authorised(HttpExchange ex, String id) throws IOException {
        Repo repo = repos.get(id);
        if (repo == null) {
            error(ex, 401, "RepoNotFound");
            return null;
        }
        if (repo.requiredToken() != null
                && !("Bearer " + repo.requiredToken()).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            error(ex, 401, "GatedRepo");
            return null;
        }
        return repo;
    }

    private static void error(HttpExchange ex, int code, String errorCode) throws IOException {
        byte[] body = ("{\"error\":\"" + errorCode + "\"}").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("X-Error-Code", errorCode);
        ex.getResponseHeaders().set("X-Error-Message", errorCode + " (fake hub)");
        ex.sendResponseHeaders(code, body.length);
        ex.getResponseBody().write(body);
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String gitBlobId(byte[] b) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            md.update(("blob " + b.length + "\0").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(md.digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
