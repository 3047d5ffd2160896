package dev.m2m100.engine.safetensors;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One memory-mapped safetensors file: an 8-byte little-endian header length N, N bytes of JSON, then the raw
 * tensor data. Everything in the header is validated before any tensor is handed out (see {@link #open}).
 * Files larger than 2 GiB are fine: the whole file is one {@link MemorySegment}.
 */
public final class SafetensorsFile implements TensorStore {

    /** Largest header accepted (the reference implementation's limit). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong I64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final Arena arena;
    private final MemorySegment data;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path file, Arena arena, MemorySegment data, Map<String, TensorInfo> tensors,
                            Map<String, String> metadata) {
        this.file = file;
        this.arena = arena;
        this.data = data;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /**
     * Maps and validates a file: header length bounded and inside the file, header a JSON object, no duplicate
     * names, every dtype known, shape × dtype size equal to the byte range, every range inside the data section,
     * no two ranges overlapping.
     */
    public static SafetensorsFile open(Path file) throws IOException {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment whole;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = ch.size();
                if (size < 8) {
                    throw SafetensorsException.of(file, "file is too short (" + size
                            + " bytes) to hold a safetensors header length");
                }
                whole = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            } catch (NoSuchFileException e) {
                throw new SafetensorsException("safetensors file not found: " + file, e);
            } catch (SafetensorsException e) {
                throw e;
            } catch (IOException e) {
                // e.g. a folder where the file should be: the OS says only "No such device"
                throw SafetensorsException.of(file, (Files.isDirectory(file) ? "is a folder, not a file"
                        : "cannot be read") + " (" + e.getMessage() + ")");
            }
            long size = whole.byteSize();
            long headerLength = whole.get(I64_LE, 0);
            if (headerLength < 2 || headerLength > MAX_HEADER_BYTES) {
                throw SafetensorsException.of(file, "header length " + headerLength
                        + " is out of bounds (2 to " + MAX_HEADER_BYTES + " bytes); not a safetensors file?");
            }
            if (8 + headerLength > size) {
                throw SafetensorsException.of(file, "header length " + headerLength + " runs past the end of the file ("
                        + size + " bytes): the file is truncated or the header length is wrong");
            }
            byte[] header = whole.asSlice(8, headerLength).toArray(ValueLayout.JAVA_BYTE);
            MemorySegment data = whole.asSlice(8 + headerLength);
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, TensorInfo> tensors = parseHeader(file, header, data.byteSize(), metadata);
            return new SafetensorsFile(file, arena, data, tensors, Collections.unmodifiableMap(metadata));
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static Map<String, TensorInfo> parseHeader(Path file, byte[] header, long dataSize,
                                                       Map<String, String> metadata) throws SafetensorsException {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, TensorInfo> tensors = new TreeMap<>();
        try (JsonParser p = mapper.createParser(header)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw SafetensorsException.of(file, "header is not a JSON object (starts with '"
                        + preview(header) + "')");
            }
            java.util.Set<String> seen = new java.util.HashSet<>();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                JsonNode value = p.readValueAsTree();
                if (!seen.add(name)) {
                    throw SafetensorsException.of(file, "duplicate tensor name '" + name + "' in the header");
                }
                if (name.equals("__metadata__")) {
                    readMetadata(file, value, metadata);
                } else {
                    tensors.put(name, parseEntry(file, name, value, dataSize));
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw SafetensorsException.of(file, "header is not a well-formed JSON object");
            }
            if (p.nextToken() != null) {
                throw SafetensorsException.of(file, "header has trailing content after the JSON object");
            }
        } catch (JacksonException e) {
            throw new SafetensorsException(file + ": header is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (SafetensorsException e) {
            throw e;
        } catch (IOException e) {
            throw new SafetensorsException(file + ": cannot read the header: " + e.getMessage(), e);
        }
        checkOverlaps(file, tensors);
        return Collections.unmodifiableMap(tensors);
    }

    private static void readMetadata(Path file, JsonNode value, Map<String, String> out) throws SafetensorsException {
        if (!value.isObject()) {
            throw SafetensorsException.of(file, "__metadata__ must be a JSON object, got " + value.getNodeType());
        }
        for (Map.Entry<String, JsonNode> e : value.properties()) {
            out.put(e.getKey(), e.getValue().isTextual() ? e.getValue().textValue() : e.getValue().toString());
        }
    }

    private static TensorInfo parseEntry(Path file, String name, JsonNode v, long dataSize)
            throws SafetensorsException {
        if (!v.isObject()) {
            throw SafetensorsException.of(file, name, "header entry must be a JSON object, got " + v.getNodeType());
        }
        JsonNode dtypeNode = v.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw SafetensorsException.of(file, name, "missing or non-string 'dtype'");
        }
        DType dtype = DType.fromHeaderName(dtypeNode.textValue());
        if (dtype == null) {
            throw SafetensorsException.of(file, name, "unknown dtype '" + dtypeNode.textValue() + "'");
        }
        JsonNode shapeNode = v.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw SafetensorsException.of(file, name, "missing or non-array 'shape'");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.longValue() < 0) {
                throw SafetensorsException.of(file, name, "shape " + shapeNode + " has an invalid dimension " + d);
            }
            shape[i] = d.longValue();
        }
        JsonNode off = v.get("data_offsets");
        if (off == null || !off.isArray() || off.size() != 2) {
            throw SafetensorsException.of(file, name, "'data_offsets' must be an array [begin, end], got " + off);
        }
        for (JsonNode o : off) {
            if (!o.isIntegralNumber() || !o.canConvertToLong() || o.longValue() < 0) {
                throw SafetensorsException.of(file, name, "'data_offsets' " + off + " must be non-negative integers");
            }
        }
        long begin = off.get(0).longValue();
        long end = off.get(1).longValue();
        if (begin > end) {
            throw SafetensorsException.of(file, name, "data_offsets [" + begin + ", " + end + "] end before they begin");
        }
        long expected;
        try {
            long n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            expected = Math.multiplyExact(n, (long) dtype.byteSize());
        } catch (ArithmeticException e) {
            throw SafetensorsException.of(file, name, "shape " + shapeNode + " is too large");
        }
        if (expected != end - begin) {
            throw SafetensorsException.of(file, name, "shape " + shapeNode + " of " + dtype + " needs " + expected
                    + " bytes but data_offsets [" + begin + ", " + end + "] hold " + (end - begin));
        }
        if (end > dataSize) {
            throw SafetensorsException.of(file, name, "data_offsets [" + begin + ", " + end
                    + "] run past the end of the data section (" + dataSize + " bytes): the file is truncated?");
        }
        return new TensorInfo(name, dtype, shape, begin, end, file);
    }

    private static void checkOverlaps(Path file, Map<String, TensorInfo> tensors) throws SafetensorsException {
        List<TensorInfo> sorted = new ArrayList<>(tensors.values());
        sorted.removeIf(t -> t.begin() == t.end());
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        for (int i = 1; i < sorted.size(); i++) {
            TensorInfo a = sorted.get(i - 1);
            TensorInfo b = sorted.get(i);
            if (b.begin() < a.end()) {
                throw SafetensorsException.of(file, "tensor '" + b.name() + "' [" + b.begin() + ", " + b.end()
                        + ") overlaps tensor '" + a.name() + "' [" + a.begin() + ", " + a.end() + ")");
            }
        }
    }

    private static String preview(byte[] header) {
        String s = new String(header, 0, Math.min(header.length, 16), StandardCharsets.UTF_8);
        return s.replaceAll("\\p{Cntrl}", "?");
    }

    public Path file() {
        return file;
    }

    @Override
    public Set<String> names() {
        return tensors.keySet();
    }

    @Override
    public Optional<TensorInfo> find(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    @Override
    public MemorySegment segment(String name) throws SafetensorsException {
        TensorInfo t = info(name);
        return data.asSlice(t.begin(), t.byteSize()).asReadOnly();
    }

    @Override
    public float[] toFloat(String name) throws SafetensorsException {
        TensorInfo t = info(name);
        if (!t.dtype().isSupported()) {
            throw SafetensorsException.of(file, name, "unsupported dtype " + t.dtype()
                    + " (supported: F32, F16, BF16, I8)");
        }
        long n = t.elementCount();
        if (n > Integer.MAX_VALUE - 16) {
            throw SafetensorsException.of(file, name, "has " + n + " elements, too many for one float array");
        }
        MemorySegment raw = data.asSlice(t.begin(), t.byteSize());
        float[] values = Conversions.toFloat(raw.asReadOnly(), t.dtype(), (int) n);
        release(raw);
        return values;
    }

    /**
     * Drops the file pages of a region from this process's resident memory (they stay in the page cache and
     * fault back in if read again): a tensor is read once at load, and keeping its pages resident beside the
     * converted copy would double the load-time peak RSS.
     */
    static void release(MemorySegment mapped) {
        if (mapped.isMapped() && mapped.byteSize() > 0) {
            mapped.unload();
        }
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public String describe() {
        return file.toString();
    }

    @Override
    public void close() {
        arena.close();
    }
}
