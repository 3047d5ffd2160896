package dev.m2m100.engine.safetensors;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The weights of a model folder: one safetensors file, or several shards listed by
 * {@code model.safetensors.index.json} ({@code {"weight_map": {tensor: file}}}).
 */
public final class SafetensorsCheckpoint implements TensorStore {

    public static final String INDEX_FILE = "model.safetensors.index.json";
    public static final String SINGLE_FILE = "model.safetensors";

    private final String description;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> owner;

    private SafetensorsCheckpoint(String description, List<SafetensorsFile> files, Map<String, SafetensorsFile> owner) {
        this.description = description;
        this.files = files;
        this.owner = owner;
    }

    /**
     * Opens {@code path}: a safetensors file, an index file, or a folder holding {@value #INDEX_FILE},
     * {@value #SINGLE_FILE} or exactly one other {@code *.safetensors} file.
     */
    public static SafetensorsCheckpoint open(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            Path index = path.resolve(INDEX_FILE);
            if (Files.exists(index)) {
                return openIndex(index);
            }
            Path single = path.resolve(SINGLE_FILE);
            if (Files.exists(single)) {
                return openSingle(single);
            }
            List<Path> candidates;
            try (Stream<Path> s = Files.list(path)) {
                candidates = s.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
            }
            if (candidates.size() == 1) {
                return openSingle(candidates.getFirst());
            }
            throw new SafetensorsException(path + ": no " + INDEX_FILE + " or " + SINGLE_FILE + ", and "
                    + (candidates.isEmpty() ? "no *.safetensors file" : "several *.safetensors files " + candidates
                    + " (which one is meant is ambiguous)"));
        }
        if (path.getFileName().toString().endsWith(".index.json")) {
            return openIndex(path);
        }
        return openSingle(path);
    }

    private static SafetensorsCheckpoint openSingle(Path file) throws IOException {
        SafetensorsFile f = SafetensorsFile.open(file);
        Map<String, SafetensorsFile> owner = new TreeMap<>();
        for (String n : f.names()) {
            owner.put(n, f);
        }
        return new SafetensorsCheckpoint(file.toString(), List.of(f), Collections.unmodifiableMap(owner));
    }

    private static SafetensorsCheckpoint openIndex(Path index) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(index));
        } catch (NoSuchFileException e) {
            throw new SafetensorsException("index file not found: " + index, e);
        } catch (JacksonException e) {
            throw new SafetensorsException(index + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new SafetensorsException(index + ": missing the 'weight_map' object");
        }
        Path dir = index.toAbsolutePath().getParent();
        Map<String, SafetensorsFile> opened = new LinkedHashMap<>();
        Map<String, SafetensorsFile> owner = new TreeMap<>();
        List<SafetensorsFile> files = new ArrayList<>();
        try {
            for (Map.Entry<String, JsonNode> e : map.properties()) {
                String tensor = e.getKey();
                if (!e.getValue().isTextual()) {
                    throw new SafetensorsException(index + ": weight_map entry '" + tensor + "' is not a file name");
                }
                String shardName = e.getValue().textValue();
                Path shard = dir.resolve(shardName).normalize();
                if (!shard.startsWith(dir)) {
                    throw new SafetensorsException(index + ": weight_map entry '" + tensor + "' points outside the folder: "
                            + shardName);
                }
                SafetensorsFile f = opened.get(shardName);
                if (f == null) {
                    f = SafetensorsFile.open(shard);
                    opened.put(shardName, f);
                    files.add(f);
                }
                if (f.find(tensor).isEmpty()) {
                    throw new SafetensorsException(index + ": tensor '" + tensor + "' is listed in " + shardName
                            + " but that file does not contain it");
                }
                owner.put(tensor, f);
            }
        } catch (IOException | RuntimeException ex) {
            files.forEach(SafetensorsFile::close);
            throw ex;
        }
        return new SafetensorsCheckpoint(index.toString(), List.copyOf(files), Collections.unmodifiableMap(owner));
    }

    @Override
    public Set<String> names() {
        return owner.keySet();
    }

    @Override
    public Optional<TensorInfo> find(String name) {
        SafetensorsFile f = owner.get(name);
        return f == null ? Optional.empty() : f.find(name);
    }

    @Override
    public MemorySegment segment(String name) throws SafetensorsException {
        return file(name).segment(name);
    }

    @Override
    public float[] toFloat(String name) throws SafetensorsException {
        return file(name).toFloat(name);
    }

    private SafetensorsFile file(String name) throws SafetensorsException {
        SafetensorsFile f = owner.get(name);
        if (f == null) {
            throw new SafetensorsException("no tensor named '" + name + "' in " + description);
        }
        return f;
    }

    @Override
    public Map<String, String> metadata() {
        return files.isEmpty() ? Map.of() : files.getFirst().metadata();
    }

    @Override
    public String describe() {
        return description;
    }

    /** The files this checkpoint maps. */
    public List<Path> files() {
        return files.stream().map(SafetensorsFile::file).toList();
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }
}
