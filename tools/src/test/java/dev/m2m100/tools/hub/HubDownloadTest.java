package dev.m2m100.tools.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubDownloadTest {

    static final Path FIXTURE = Path.of("..", "testdata", "m2m100-tiny");
    static final List<String> SMALL_FILES = List.of("config.json", "generation_config.json", "sentencepiece.bpe.model",
            "vocab.json", "tokenizer_config.json", "special_tokens_map.json");
    static final Set<String> LFS = Set.of("model.safetensors", "pytorch_model.bin", "sentencepiece.bpe.model");

    FakeHub hub;
    String modelCdn;
    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
    @TempDir
    Path tmp;

    @BeforeEach
    void start() throws IOException {
        hub = new FakeHub();
        modelCdn = modelCdnPath();
        hub.addRepo("acme/tiny", files(true), LFS, null);
        hub.addRepo("acme/tiny-bin", files(false), LFS, null);
        hub.addRepo("acme/gated", files(true), LFS, "secret-token");
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    /** The fixture laid out as a hub repository, with model.safetensors or only pytorch_model.bin. */
    static Map<String, byte[]> files(boolean safetensors) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put(".gitattributes", "*.bin filter=lfs\n".getBytes(StandardCharsets.UTF_8));
        m.put("README.md", "# tiny\n".getBytes(StandardCharsets.UTF_8));
        for (String f : SMALL_FILES) {
            m.put(f, Files.readAllBytes(FIXTURE.resolve(f)));
        }
        if (safetensors) {
            m.put("model.safetensors", Files.readAllBytes(FIXTURE.resolve("model.safetensors")));
        } else {
            m.put("pytorch_model.bin", Files.readAllBytes(FIXTURE.resolve("pytorch/pytorch_model.bin")));
        }
        return m;
    }

    private static long rangeStart(String range) {
        assertTrue(range != null && range.matches("bytes=\\d+-"), "range header " + range);
        return Long.parseLong(range.substring(6, range.length() - 1));
    }

    /** Where the fake hub's CDN serves model.safetensors. */
    static String modelCdnPath() throws IOException {
        return "/cdn/" + FakeHub.sha256(Files.readAllBytes(FIXTURE.resolve("model.safetensors")));
    }

    private ModelDownloader downloader(String token) {
        HubSettings s = new HubSettings(hub.endpoint(), token, tmp.resolve("cache"));
        return new ModelDownloader(new HubClient(s, log, false), log);
    }

    private void assertFixtureFiles(Path out) throws IOException {
        for (String f : SMALL_FILES) {
            assertArrayEquals(Files.readAllBytes(FIXTURE.resolve(f)), Files.readAllBytes(out.resolve(f)), f);
        }
        assertArrayEquals(Files.readAllBytes(FIXTURE.resolve("model.safetensors")),
                Files.readAllBytes(out.resolve("model.safetensors")));
        try (var listing = Files.list(out)) {
            assertTrue(listing.noneMatch(p -> p.toString().endsWith(".part") || p.toString().endsWith(".tmp")),
                    "no partial files left");
        }
    }

    @Test
    void fullDownloadFetchesEveryNeededFileAndVerifiesIt() throws IOException {
        Path out = tmp.resolve("out");
        ModelDownloader.Result r = downloader(null).download("acme/tiny", "main", out, false);
        assertFixtureFiles(out);
        assertFalse(Files.exists(out.resolve("README.md")), "only the files the engine needs");
        assertEquals(FakeHub.COMMIT, r.commit());
        assertFalse(r.convertedFromBin());
        assertTrue(ModelDownloader.isComplete(out));
        // LFS files went through the CDN redirect, pinned to the listed commit.
        assertTrue(hub.requests.stream().anyMatch(q -> q.path().equals("/acme/tiny/resolve/" + FakeHub.COMMIT + "/model.safetensors")));
        assertTrue(hub.requests.stream().anyMatch(q -> q.path().equals(modelCdn)));
        String text = logBytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("model.safetensors: downloading 1.7 MB"), text);
        assertTrue(text.contains("model.safetensors 100% 1.7 MB / 1.7 MB"), text);

        // A second run finds everything in place and transfers nothing.
        int before = hub.requests.size();
        downloader(null).download("acme/tiny", "main", out, false);
        assertEquals(before + 1, hub.requests.size(), "only the file list is fetched again");
        assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("model.safetensors: already present"));
    }

    @Test
    void transferCutInTheMiddleIsResumedWithARangeRequest() throws IOException {
        int size = (int) Files.size(FIXTURE.resolve("model.safetensors"));
        int cut = size / 2;
        hub.cutOnce.put("model.safetensors", cut);
        Path out = tmp.resolve("out");
        downloader(null).download("acme/tiny", "main", out, false);
        assertFixtureFiles(out);
        List<FakeHub.Request> cdn = hub.requests.stream().filter(q -> q.path().equals(modelCdn)).toList();
        assertEquals(2, cdn.size(), "one cut transfer, one resumed transfer: " + cdn);
        assertEquals(null, cdn.get(0).range());
        // Resumed from what actually arrived: up to the cut (bytes in flight may be lost with the connection).
        long resumedAt = rangeStart(cdn.get(1).range());
        assertTrue(resumedAt > 0 && resumedAt <= cut, "resumed at " + resumedAt + ", cut at " + cut);
        assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("was interrupted"), logBytes.toString(StandardCharsets.UTF_8));
        assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("resuming at"));
    }

    @Test
    void stalledTransferIsDroppedAndResumed() throws IOException {
        int size = (int) Files.size(FIXTURE.resolve("model.safetensors"));
        int stallAt = size / 3;
        hub.stallOnce.put("model.safetensors", stallAt);
        HubSettings s = new HubSettings(hub.endpoint(), null, tmp.resolve("cache"));
        HubClient client = new HubClient(s, log, false, System::nanoTime, java.time.Duration.ofMillis(1000));
        Path out = tmp.resolve("out");
        new ModelDownloader(client, log).download("acme/tiny", "main", out, false);
        assertFixtureFiles(out);
        List<FakeHub.Request> cdn = hub.requests.stream().filter(q -> q.path().equals(modelCdn)).toList();
        assertEquals(2, cdn.size(), "one stalled transfer, one resumed transfer: " + cdn);
        long resumedAt = rangeStart(cdn.get(1).range());
        assertTrue(resumedAt > 0 && resumedAt <= stallAt, "resumed at " + resumedAt + ", stalled at " + stallAt);
        // The guard gave up on the silent connection (the server itself would only drop it after STALL_MILLIS).
        assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("(no data for 1.0 s)"), logBytes.toString(StandardCharsets.UTF_8));
    }

    /**
     * Two pods on one volume: while another process holds the folder's lock, download waits (writing nothing), and
     * once the lock is released it completes the folder. Without the lock both would append to the same .part.
     */
    @Test
    void aSecondProcessWaitsForTheFolderLockBeforeWritingAnything() throws Exception {
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(),
                out.resolve(FolderLock.FILE).toString()).redirectErrorStream(true).start();
        try {
            BufferedReader said = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked true", said.readLine());
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                var download = pool.submit(() -> downloader(null).download("acme/tiny", "main", out, false));
                assertThrows(TimeoutException.class,
                        () -> download.get(1500, TimeUnit.MILLISECONDS), "download did not wait");
                try (var listing = Files.list(out)) {
                    assertEquals(List.of(FolderLock.FILE), listing.map(p -> p.getFileName().toString()).toList(),
                            "wrote while another process held the lock");
                }
                assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("another process is downloading into"),
                        logBytes.toString(StandardCharsets.UTF_8));
                holder.getOutputStream().close(); // the other pod finishes
                download.get(60, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
            assertFixtureFiles(out);
        } finally {
            holder.destroy();
            holder.waitFor();
        }
    }

    @Test
    void partialFileFromAnEarlierRunIsResumed() throws IOException {
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        byte[] model = Files.readAllBytes(FIXTURE.resolve("model.safetensors"));
        Files.write(out.resolve("model.safetensors.part"), java.util.Arrays.copyOf(model, 100_000));
        downloader(null).download("acme/tiny", "main", out, false);
        assertFixtureFiles(out);
        assertTrue(hub.requests.stream().anyMatch(q -> q.path().equals(modelCdn) && "bytes=100000-".equals(q.range())));
        assertTrue(hub.requests.stream().noneMatch(q -> q.path().equals(modelCdn) && q.range() == null), "no full transfer");
    }

    @Test
    void checksumMismatchIsAClearErrorAndLeavesNoFile() throws IOException {
        byte[] bad = Files.readAllBytes(FIXTURE.resolve("model.safetensors"));
        bad[bad.length / 3] ^= 1;
        hub.corrupt.put("model.safetensors", bad);
        Path out = tmp.resolve("out");
        HubException e = assertThrows(HubException.class, () -> downloader(null).download("acme/tiny", "main", out, false));
        assertEquals(HubException.Kind.INTEGRITY, e.kind());
        assertTrue(e.getMessage().contains("model.safetensors") && e.getMessage().contains("sha256"), e.getMessage());
        assertFalse(Files.exists(out.resolve("model.safetensors")));
        assertFalse(Files.exists(out.resolve("model.safetensors.part")));
        assertFalse(ModelDownloader.isComplete(out));
    }

    @Test
    void corruptSmallFileFailsItsGitBlobCheck() throws IOException {
        hub.corrupt.put("vocab.json", "{}".getBytes(StandardCharsets.UTF_8));
        HubException e = assertThrows(HubException.class,
                () -> downloader(null).download("acme/tiny", "main", tmp.resolve("out"), false));
        assertEquals(HubException.Kind.INTEGRITY, e.kind());
        assertTrue(e.getMessage().contains("vocab.json"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("out/vocab.json")));
    }

    @Test
    void gitBlobIdIsGitsHash() throws IOException {
        Path f = tmp.resolve("hello");
        Files.writeString(f, "hello");
        // `printf hello | git hash-object --stdin`
        assertTrue(HubClient.matches(new RepoFile("hello", 5, null, "b6fc4c620b67d95f953a5c1c1230aaab5db5a1b0"), f));
        assertFalse(HubClient.matches(new RepoFile("hello", 5, null, "b6fc4c620b67d95f953a5c1c1230aaab5db5a1b1"), f));
    }

    @Test
    void unknownModelAndRevisionAreNotFound() {
        HubException e = assertThrows(HubException.class,
                () -> downloader(null).download("acme/nope", "main", tmp.resolve("out"), false));
        assertEquals(HubException.Kind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("'acme/nope'") && e.getMessage().contains("not found"), e.getMessage());

        HubException r = assertThrows(HubException.class,
                () -> downloader(null).download("acme/tiny", "v9", tmp.resolve("out"), false));
        assertEquals(HubException.Kind.NOT_FOUND, r.kind());
        assertTrue(r.getMessage().contains("revision 'v9'") && r.getMessage().contains("404"), r.getMessage());
    }

    @Test
    void missingFileIs404() throws IOException {
        HubSettings s = new HubSettings(hub.endpoint(), null, tmp);
        HubClient c = new HubClient(s, log, false);
        RepoInfo info = c.repoInfo("acme/tiny", "main");
        HubException e = assertThrows(HubException.class,
                () -> c.download(info, new RepoFile("missing.json", 3, null, null), tmp.resolve("missing.json")));
        assertEquals(HubException.Kind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("file 'missing.json'") && e.getMessage().contains("HTTP 404"), e.getMessage());
    }

    @Test
    void gatedModelNeedsTheToken() throws IOException {
        HubException e = assertThrows(HubException.class,
                () -> downloader(null).download("acme/gated", "main", tmp.resolve("out"), false));
        assertEquals(HubException.Kind.UNAUTHORIZED, e.kind());
        assertTrue(e.getMessage().contains("HF_TOKEN") && e.getMessage().contains("401"), e.getMessage());

        Path out = tmp.resolve("out");
        downloader("secret-token").download("acme/gated", "main", out, false);
        assertFixtureFiles(out);
        assertTrue(hub.requests.stream().filter(q -> q.path().startsWith("/acme/gated/"))
                .allMatch(q -> "Bearer secret-token".equals(q.authorization())));
    }

    @Test
    void binOnlyRepositoryIsConvertedToTheFixtureSafetensors() throws IOException {
        Path out = tmp.resolve("out");
        ModelDownloader.Result r = downloader(null).download("acme/tiny-bin", "main", out, false);
        assertTrue(r.convertedFromBin());
        assertFixtureFiles(out);
        assertFalse(Files.exists(out.resolve("pytorch_model.bin")), "the .bin is removed after conversion");
        assertTrue(ModelDownloader.isComplete(out));

        int before = hub.requests.size();
        downloader(null).download("acme/tiny-bin", "main", out, false);
        assertEquals(before + 1, hub.requests.size(), "the converted model is not fetched again");
    }

    @Test
    void shardedSafetensorsAreFetchedFromTheIndex() throws IOException {
        Map<String, byte[]> files = files(false);
        files.remove("pytorch_model.bin");
        byte[] shard1 = Files.readAllBytes(FIXTURE.resolve("model.safetensors"));
        byte[] shard2 = Files.readAllBytes(FIXTURE.resolve("fp16/model-fp16.safetensors"));
        files.put("model-00001-of-00002.safetensors", shard1);
        files.put("model-00002-of-00002.safetensors", shard2);
        files.put("model.safetensors.index.json", ("{\"metadata\":{\"total_size\":1},\"weight_map\":{"
                + "\"a\":\"model-00001-of-00002.safetensors\",\"b\":\"model-00002-of-00002.safetensors\","
                + "\"c\":\"model-00001-of-00002.safetensors\"}}").getBytes(StandardCharsets.UTF_8));
        hub.addRepo("acme/sharded", files, Set.of("model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"), null);
        Path out = tmp.resolve("out");
        ModelDownloader.Result r = downloader(null).download("acme/sharded", "main", out, false);
        assertArrayEquals(shard1, Files.readAllBytes(out.resolve("model-00001-of-00002.safetensors")));
        assertArrayEquals(shard2, Files.readAllBytes(out.resolve("model-00002-of-00002.safetensors")));
        assertTrue(Files.exists(out.resolve("model.safetensors.index.json")));
        assertTrue(r.files().contains("model-00002-of-00002.safetensors"));
        assertTrue(ModelDownloader.isComplete(out));
    }

    @Test
    void indexNamingAFileOutsideTheFolderIsRefused() throws IOException {
        Map<String, byte[]> files = files(false);
        files.remove("pytorch_model.bin");
        files.put("model.safetensors.index.json",
                "{\"weight_map\":{\"a\":\"../../evil.safetensors\"}}".getBytes(StandardCharsets.UTF_8));
        hub.addRepo("acme/evil", files, Set.of(), null);
        HubException e = assertThrows(HubException.class,
                () -> downloader(null).download("acme/evil", "main", tmp.resolve("out"), false));
        assertEquals(HubException.Kind.BAD_REPOSITORY, e.kind());
        assertTrue(e.getMessage().contains("'../../evil.safetensors'"), e.getMessage());
    }

    /**
     * An NLLB-200 repository laid out as facebook/nllb-200-distilled-600M is: no vocab.json, a tokenizer_config.json
     * without added_tokens_decoder and a tokenizer.json whose added_tokens pin the language ids. The download has
     * what the engine needs, and the engine serves it as NLLB with the fixture's ids.
     */
    @Test
    void nllbRepositoryIsDownloadedAndServedAsNllb() throws Exception {
        Path nllb = Path.of("..", "testdata", "nllb-tiny");
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode config = (com.fasterxml.jackson.databind.node.ObjectNode)
                json.readTree(nllb.resolve("tokenizer_config.json").toFile());
        com.fasterxml.jackson.databind.JsonNode decoder = config.remove("added_tokens_decoder");
        com.fasterxml.jackson.databind.node.ObjectNode fast = json.createObjectNode().put("version", "1.0");
        com.fasterxml.jackson.databind.node.ArrayNode added = fast.putArray("added_tokens");
        decoder.properties().forEach(e -> added.add(((com.fasterxml.jackson.databind.node.ObjectNode) e.getValue()
                .deepCopy()).put("id", Integer.parseInt(e.getKey()))));
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(".gitattributes", "*.bin filter=lfs\n".getBytes(StandardCharsets.UTF_8));
        files.put("README.md", "# nllb\n".getBytes(StandardCharsets.UTF_8));
        for (String f : List.of("config.json", "generation_config.json", "sentencepiece.bpe.model",
                "special_tokens_map.json", "model.safetensors")) {
            files.put(f, Files.readAllBytes(nllb.resolve(f)));
        }
        files.put("tokenizer_config.json", config.toString().getBytes(StandardCharsets.UTF_8));
        files.put("tokenizer.json", fast.toString().getBytes(StandardCharsets.UTF_8));
        hub.addRepo("facebook/nllb-200-distilled-600M", files, LFS, null);

        Path out = tmp.resolve("nllb");
        ModelDownloader.Result r = downloader(null).download("facebook/nllb-200-distilled-600M", "main", out, false);
        assertEquals(List.of("config.json", "sentencepiece.bpe.model", "generation_config.json", "tokenizer_config.json",
                "special_tokens_map.json", "tokenizer.json", "model.safetensors"), r.files());
        assertFalse(Files.exists(out.resolve("vocab.json")));
        com.fasterxml.jackson.databind.JsonNode c = json.readTree(nllb.resolve("reference/model.json").toFile())
                .get("cases").get(0);
        try (dev.m2m100.engine.TranslationEngine engine = dev.m2m100.engine.TranslationEngine.open(out,
                dev.m2m100.engine.EngineSettings.DEFAULTS.withDevice(dev.m2m100.engine.backend.DeviceSpec.CPU))) {
            assertEquals("NLLB", engine.codec().family());
            int[] source = engine.codec().encode(c.get("texts").get(0).asText(), c.get("src_lang").asText());
            assertEquals(c.get("input_ids").get(0).toString(), java.util.Arrays.toString(source).replace(" ", ""));
            int[] ids = engine.generate(List.of(source), engine.codec().languageId(c.get("tgt_lang").asText()),
                    dev.m2m100.engine.GenerationOptions.DEFAULTS.withMaxNewTokens(24)).getFirst().tokens();
            assertEquals(c.get("greedy").get("sequences").get(0).toString(),
                    java.util.Arrays.toString(ids).replace(" ", ""));
        }
    }

    @Test
    void repositoryWithoutTokenizerIsAClearError() throws IOException {
        Map<String, byte[]> files = files(true);
        files.remove("vocab.json");
        files.remove("tokenizer_config.json");
        hub.addRepo("acme/notokenizer", files, Set.of(), null);
        HubException e = assertThrows(HubException.class,
                () -> downloader(null).download("acme/notokenizer", "main", tmp.resolve("out"), false));
        assertTrue(e.getMessage().contains("has neither vocab.json nor tokenizer_config.json")
                && e.getMessage().contains("not an M2M100 or NLLB model repository"), e.getMessage());
    }

    @Test
    void repositoryWithoutWeightsIsAClearError() throws IOException {
        Map<String, byte[]> files = files(false);
        files.remove("pytorch_model.bin");
        hub.addRepo("acme/noweights", files, Set.of(), null);
        HubException e = assertThrows(HubException.class,
                () -> downloader(null).download("acme/noweights", "main", tmp.resolve("out"), false));
        assertTrue(e.getMessage().contains("has no weights"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("out")), "nothing fetched for an unusable repository");
    }

    @Test
    void unreachableEndpointSaysSo() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        HubSettings s = new HubSettings("http://127.0.0.1:" + port, null, tmp);
        HubException e = assertThrows(HubException.class,
                () -> new ModelDownloader(new HubClient(s, log, false), log).download("acme/tiny", "main", tmp.resolve("o"), false));
        assertEquals(HubException.Kind.UNREACHABLE, e.kind());
        assertTrue(e.getMessage().contains("cannot reach http://127.0.0.1:" + port) && e.getMessage().contains("offline"),
                e.getMessage());
    }

    @Test
    void resolverUsesFoldersAsIsAndCachesDownloads() throws IOException {
        HubSettings s = new HubSettings(hub.endpoint(), null, tmp.resolve("cache"));
        ModelResolver resolver = new ModelResolver(s, log, false);
        assertEquals(FIXTURE, resolver.resolve(FIXTURE.toString()));

        Path dir = resolver.resolve("acme/tiny");
        assertEquals(tmp.resolve("cache/models/acme--tiny/main"), dir);
        assertFixtureFiles(dir);
        int before = hub.requests.size();
        assertEquals(dir, resolver.resolve("acme/tiny"));
        assertEquals(before, hub.requests.size(), "second use comes from the cache without contacting the hub");

        int requests = hub.requests.size();
        IOException bad = assertThrows(ModelFolderNotFoundException.class, () -> resolver.resolve("not a model!"));
        assertTrue(bad.getMessage().contains("not of the form owner/name"), bad.getMessage());
        // Mistyped local folders are path errors, never hub requests.
        Path models = Files.createDirectories(tmp.resolve("models"));
        for (String path : List.of(models.resolve("m2m100_418M").toString(), "./models/m2m100_418M", "~/models/x",
                "m2m100_418M", "src/m2m100-tinyy")) {
            ModelFolderNotFoundException e = assertThrows(ModelFolderNotFoundException.class, () -> resolver.resolve(path));
            assertTrue(e.getMessage().startsWith("model folder ") && e.getMessage().contains(" does not exist ("),
                    e.getMessage());
        }
        assertEquals(requests, hub.requests.size(), "a path-looking --model must not go to the hub");
    }

    @Test
    void onlyOwnerNameShapesWithNothingLocalAreHubIds() {
        assertEquals(null, ModelResolver.whyAPath("facebook/m2m100_418M"));
        assertEquals(null, ModelResolver.whyAPath("acme/tiny"));
        assertEquals("it starts with /", ModelResolver.whyAPath("/models/m2m100_418M"));
        assertEquals("it starts with .", ModelResolver.whyAPath("./m2m100_418M"));
        assertEquals("it is not of the form owner/name", ModelResolver.whyAPath("m2m100_418M"));
        assertEquals("it is not of the form owner/name", ModelResolver.whyAPath("a/b/c"));
        // "testdata" exists relative to the module folder only one level up; "src" exists in the module folder.
        assertEquals("src exists here", ModelResolver.whyAPath("src/m2m100_418M"));
    }

    @Test
    void settingsComeFromTheEnvironment() {
        HubSettings d = HubSettings.fromEnv(Map.of(), Path.of("/home/u"));
        assertEquals("https://huggingface.co", d.endpoint());
        assertEquals(null, d.token());
        assertEquals(Path.of("/home/u/.cache/m2m100"), d.cacheDir());
        HubSettings e = HubSettings.fromEnv(Map.of("HF_ENDPOINT", "http://mirror:8080/", "HF_TOKEN", "t",
                "M2M100_CACHE", "/c"), Path.of("/home/u"));
        assertEquals("http://mirror:8080", e.endpoint());
        assertEquals("t", e.token());
        assertEquals(Path.of("/c"), e.cacheDir());
    }
}
