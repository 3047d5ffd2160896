package dev.m2m100.tools.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.m2m100.tools.convert.PytorchToSafetensors;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Fetches what the engine needs from an M2M100 or NLLB-200 repository on the hub (facebook/m2m100_418M,
 * facebook/nllb-200-distilled-600M, …) into one folder: config, generation config, the family's tokenizer files
 * (M2M100: vocab.json; NLLB: tokenizer_config.json and tokenizer.json, whose added tokens pin the language ids) and
 * the weights — {@code model.safetensors} (or its shards) when the revision has
 * them, else {@code pytorch_model.bin}, converted to {@code model.safetensors}. A small manifest written last
 * marks the folder complete.
 */
public final class ModelDownloader {

    /** Written last: its presence means the folder holds a complete download. */
    public static final String MANIFEST = ".m2m100-download.json";

    static final List<String> REQUIRED = List.of("config.json", "sentencepiece.bpe.model");
    /** One of these, by family: M2M100 maps pieces through vocab.json; NLLB's ids are in tokenizer_config.json. */
    static final List<String> FAMILY_TOKENIZER_FILES = List.of("vocab.json", "tokenizer_config.json");
    static final List<String> OPTIONAL = List.of("vocab.json", "generation_config.json", "tokenizer_config.json",
            "special_tokens_map.json", "tokenizer.json");
    static final String SAFETENSORS = "model.safetensors";
    static final String SAFETENSORS_INDEX = "model.safetensors.index.json";
    static final String PYTORCH_BIN = "pytorch_model.bin";

    private static final Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?");
    private static final Pattern SHARD_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*\\.safetensors");

    /** What ended up in the folder. */
    public record Result(Path dir, String commit, List<String> files, boolean convertedFromBin) {
    }

    private final HubClient client;
    private final PrintStream log;

    public ModelDownloader(HubClient client, PrintStream log) {
        this.client = client;
        this.log = log;
    }

    public static boolean isModelId(String s) {
        return MODEL_ID.matcher(s).matches() && !s.contains("..");
    }

    public Result download(String modelId, String revision, Path outDir, boolean keepBin) throws IOException {
        if (!isModelId(modelId)) {
            throw new IllegalArgumentException("'" + modelId + "' is not a hub model id (expected owner/name, e.g."
                    + " facebook/m2m100_418M)");
        }
        RepoInfo repo = client.repoInfo(modelId, revision);
        log.println(modelId + "@" + revision + " (commit " + repo.commit() + ") from " + client.settings().endpoint()
                + " → " + outDir);
        for (String f : REQUIRED) {
            if (!repo.has(f)) {
                throw notAModel(modelId, revision, repo, "has no " + f);
            }
        }
        if (FAMILY_TOKENIZER_FILES.stream().noneMatch(repo::has)) {
            throw notAModel(modelId, revision, repo, "has neither " + String.join(" nor ", FAMILY_TOKENIZER_FILES));
        }
        if (!repo.has(SAFETENSORS) && !repo.has(SAFETENSORS_INDEX) && !repo.has(PYTORCH_BIN)) {
            throw new HubException(HubException.Kind.BAD_REPOSITORY, modelId + "@" + revision + " has no weights ("
                    + SAFETENSORS + ", " + SAFETENSORS_INDEX + " or " + PYTORCH_BIN + ")"
                    + (repo.has("pytorch_model.bin.index.json") ? "; sharded pytorch_model-*.bin weights are not supported" : ""));
        }
        Files.createDirectories(outDir);
        FolderLock lock = FolderLock.acquire(outDir, log);
        try {
            // The manifest marks a complete folder: drop it while the folder changes, keep what it said.
            JsonNode previous = readManifest(outDir);
            Files.deleteIfExists(outDir.resolve(MANIFEST));
            Set<String> fetched = new LinkedHashSet<>();
            for (String f : REQUIRED) {
                fetch(repo, f, outDir, fetched);
            }
            for (String f : OPTIONAL) {
                if (repo.has(f)) {
                    fetch(repo, f, outDir, fetched);
                }
            }

            boolean converted = false;
            String convertedFrom = null;
            if (repo.has(SAFETENSORS)) {
                fetch(repo, SAFETENSORS, outDir, fetched);
            } else if (repo.has(SAFETENSORS_INDEX)) {
                fetch(repo, SAFETENSORS_INDEX, outDir, fetched);
                for (String shard : shards(outDir.resolve(SAFETENSORS_INDEX), repo)) {
                    fetch(repo, shard, outDir, fetched);
                }
            } else {
                RepoFile bin = repo.files().get(PYTORCH_BIN);
                convertedFrom = bin.sha256();
                if (alreadyConverted(outDir, bin, previous)) {
                    log.println(SAFETENSORS + ": already converted from this " + PYTORCH_BIN);
                } else {
                    log.println(modelId + "@" + revision + " has no safetensors weights: fetching " + PYTORCH_BIN
                            + " and converting it");
                    Path binPath = outDir.resolve(PYTORCH_BIN);
                    if (!HubClient.matches(bin, binPath)) {
                        client.download(repo, bin, binPath);
                    }
                    long t0 = System.nanoTime();
                    PytorchToSafetensors.Result r = PytorchToSafetensors.convert(binPath, outDir.resolve(SAFETENSORS), null);
                    log.printf("%s: converted %s → %s, %d tensors in %.1f s%n", modelId, PYTORCH_BIN, SAFETENSORS,
                            r.tensorsWritten(), (System.nanoTime() - t0) / 1e9);
                    if (!keepBin) {
                        Files.delete(binPath);
                    }
                }
                fetched.add(SAFETENSORS);
                converted = true;
            }
            writeManifest(outDir, repo, fetched, convertedFrom);
            return new Result(outDir, repo.commit(), List.copyOf(fetched), converted);
        } finally {
            lock.close();
        }
    }

    private static HubException notAModel(String modelId, String revision, RepoInfo repo, String what) {
        return new HubException(HubException.Kind.BAD_REPOSITORY, modelId + "@" + revision + " " + what
                + ": not an M2M100 or NLLB model repository? (files: " + String.join(", ", repo.files().keySet()) + ")");
    }

    private void fetch(RepoInfo repo, String name, Path outDir, Set<String> fetched) throws IOException {
        RepoFile f = repo.files().get(name);
        if (f == null) {
            throw new HubException(HubException.Kind.BAD_REPOSITORY, repo.modelId() + " lists no file " + name);
        }
        Path target = outDir.resolve(name);
        if (HubClient.matches(f, target)) {
            log.println(name + ": already present");
        } else {
            client.download(repo, f, target);
        }
        fetched.add(name);
    }

    private static List<String> shards(Path index, RepoInfo repo) throws IOException {
        JsonNode map = new ObjectMapper().readTree(index.toFile()).get("weight_map");
        if (map == null || !map.isObject()) {
            throw new HubException(HubException.Kind.BAD_REPOSITORY, index + " has no weight_map");
        }
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode v : map) {
            String shard = v.asText();
            if (!SHARD_NAME.matcher(shard).matches() || !repo.has(shard)) {
                throw new HubException(HubException.Kind.BAD_REPOSITORY, index + " names shard '" + shard
                        + "', which is not a plain .safetensors file of the repository");
            }
            names.add(shard);
        }
        return new ArrayList<>(names);
    }

    private static boolean alreadyConverted(Path outDir, RepoFile bin, JsonNode previous) {
        return bin.sha256() != null && previous != null && Files.isRegularFile(outDir.resolve(SAFETENSORS))
                && bin.sha256().equals(previous.path("converted_from_sha256").asText(null));
    }

    private static JsonNode readManifest(Path dir) {
        Path manifest = dir.resolve(MANIFEST);
        try {
            return Files.isRegularFile(manifest) ? new ObjectMapper().readTree(manifest.toFile()) : null;
        } catch (IOException e) {
            return null; // unreadable: treat as absent, everything is re-checked anyway
        }
    }

    private static void writeManifest(Path outDir, RepoInfo repo, Set<String> files, String convertedFrom) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode m = json.createObjectNode();
        m.put("model_id", repo.modelId());
        m.put("revision", repo.revision());
        m.put("commit", repo.commit());
        m.putPOJO("files", List.copyOf(files));
        if (convertedFrom != null) {
            m.put("converted_from", PYTORCH_BIN);
            m.put("converted_from_sha256", convertedFrom);
        }
        Path tmp = outDir.resolve(MANIFEST + ".tmp");
        Files.writeString(tmp, json.writerWithDefaultPrettyPrinter().writeValueAsString(m) + "\n");
        Files.move(tmp, outDir.resolve(MANIFEST), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** True when {@code dir} holds a complete download (its manifest exists and every listed file is there). */
    public static boolean isComplete(Path dir) {
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return false;
        }
        try {
            for (JsonNode f : new ObjectMapper().readTree(manifest.toFile()).path("files")) {
                if (!Files.isRegularFile(dir.resolve(f.asText()))) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
