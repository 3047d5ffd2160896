package dev.m2m100.engine.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes a {@code .safetensors} file byte for byte as Hugging Face's (Rust) writer does: an 8-byte
 * little-endian header length, a compact JSON header ({@code __metadata__} first, then the tensors)
 * padded with spaces to a multiple of 8 bytes, then the raw little-endian tensor data. Tensors are laid
 * out in the writer's order: by dtype, larger dtypes first (F32, BF16, F16, I8), then by name (bytewise).
 *
 * <p>Tensor bytes come from a {@link TensorData} callback that pushes buffers into a {@link Sink}, so a
 * multi-gigabyte file never needs a heap array of its size. The file is written to {@code <name>.tmp} and
 * renamed into place only when every tensor delivered exactly its byte count.
 */
public final class SafetensorsWriter {

    /** The dtypes this writer produces; order of declaration is the order of the Rust {@code Dtype} enum. */
    public enum Dtype {
        I8(1), F16(2), BF16(2), F32(4);

        private final int size;

        Dtype(int size) {
            this.size = size;
        }

        /** Bytes per element. */
        public int size() {
            return size;
        }

        /** Parses {@code F32}, {@code f16}, {@code bf16}… (case-insensitive). */
        public static Dtype parse(String s) {
            for (Dtype d : values()) {
                if (d.name().equalsIgnoreCase(s)) {
                    return d;
                }
            }
            throw new IllegalArgumentException("unsupported dtype '" + s + "' (expected one of f32, f16, bf16, i8)");
        }
    }

    /** Receives a tensor's bytes in order; buffers are consumed from position to limit. */
    public interface Sink {
        void write(ByteBuffer bytes) throws IOException;
    }

    /** Produces one tensor's raw little-endian bytes. */
    @FunctionalInterface
    public interface TensorData {
        void writeTo(Sink sink) throws IOException;
    }

    /** One tensor to write: name, dtype, shape, and where its bytes come from. */
    public record Tensor(String name, Dtype dtype, long[] shape, TensorData data) {
        public Tensor {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(dtype, "dtype");
            Objects.requireNonNull(data, "data");
            shape = shape.clone();
            for (long d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("tensor " + name + " has a negative dimension " + Arrays.toString(shape));
                }
            }
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** Number of data bytes: product of the shape times the element size. */
        public long byteSize() {
            long n = dtype.size();
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }
    }

    private static final int HEADER_ALIGN = 8;
    private static final int OUT_BUFFER = 1 << 20;

    private SafetensorsWriter() {
    }

    /** The writer's layout order: larger dtype first, then name compared as UTF-8 bytes. */
    public static final Comparator<Tensor> ORDER = Comparator
            .comparing((Tensor t) -> t.dtype().ordinal(), Comparator.reverseOrder())
            .thenComparing((a, b) -> Arrays.compareUnsigned(
                    a.name().getBytes(StandardCharsets.UTF_8), b.name().getBytes(StandardCharsets.UTF_8)));

    /**
     * Writes {@code tensors} (any order; they are sorted) with {@code metadata} (may be empty; written as
     * {@code __metadata__} when not) to {@code file}.
     */
    public static void write(Path file, Map<String, String> metadata, List<Tensor> tensors) throws IOException {
        List<Tensor> sorted = new ArrayList<>(tensors);
        Set<String> names = new HashSet<>();
        for (Tensor t : sorted) {
            if (t.name().equals("__metadata__") || !names.add(t.name())) {
                throw new IllegalArgumentException("duplicate or reserved tensor name '" + t.name() + "'");
            }
        }
        sorted.sort(ORDER);
        byte[] header = header(metadata, sorted);

        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer prefix = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
            prefix.putLong(header.length).put(header).flip();
            writeFully(ch, prefix);
            ByteBuffer staging = ByteBuffer.allocateDirect(OUT_BUFFER);
            for (Tensor t : sorted) {
                CountingSink sink = new CountingSink(ch, staging, t);
                t.data().writeTo(sink);
                sink.finish();
            }
            ch.force(false);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The padded JSON header for tensors already in layout order. */
    static byte[] header(Map<String, String> metadata, List<Tensor> sorted) {
        StringBuilder json = new StringBuilder(64 + sorted.size() * 96);
        json.append('{');
        boolean first = true;
        if (metadata != null && !metadata.isEmpty()) {
            json.append("\"__metadata__\":{");
            boolean firstMeta = true;
            for (Map.Entry<String, String> e : new LinkedHashMap<>(metadata).entrySet()) {
                if (!firstMeta) {
                    json.append(',');
                }
                firstMeta = false;
                appendString(json, e.getKey()).append(':');
                appendString(json, e.getValue());
            }
            json.append('}');
            first = false;
        }
        long offset = 0;
        for (Tensor t : sorted) {
            if (!first) {
                json.append(',');
            }
            first = false;
            long end = offset + t.byteSize();
            appendString(json, t.name()).append(":{\"dtype\":\"").append(t.dtype().name()).append("\",\"shape\":[");
            long[] shape = t.shape();
            for (int i = 0; i < shape.length; i++) {
                if (i > 0) {
                    json.append(',');
                }
                json.append(shape[i]);
            }
            json.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        json.append('}');
        byte[] raw = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (raw.length + HEADER_ALIGN - 1) / HEADER_ALIGN * HEADER_ALIGN;
        byte[] out = Arrays.copyOf(raw, padded);
        Arrays.fill(out, raw.length, padded, (byte) ' ');
        return out;
    }

    /** JSON string escaping as serde_json does it (short escapes, other control characters as \\u00xx). */
    private static StringBuilder appendString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"');
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** Copies into a staging buffer and checks the tensor delivers exactly its declared size. */
    private static final class CountingSink implements Sink {
        private final FileChannel ch;
        private final ByteBuffer staging;
        private final Tensor tensor;
        private final long expected;
        private long written;

        CountingSink(FileChannel ch, ByteBuffer staging, Tensor tensor) {
            this.ch = ch;
            this.staging = staging.clear();
            this.tensor = tensor;
            this.expected = tensor.byteSize();
        }

        @Override
        public void write(ByteBuffer bytes) throws IOException {
            int n = bytes.remaining();
            if (written + n > expected) {
                throw new IOException("tensor " + tensor.name() + " produced more than its " + expected
                        + " bytes (dtype " + tensor.dtype() + ", shape " + Arrays.toString(tensor.shape()) + ")");
            }
            written += n;
            if (n >= staging.capacity()) {
                flush();
                writeFully(ch, bytes);
                return;
            }
            while (bytes.hasRemaining()) {
                if (!staging.hasRemaining()) {
                    flush();
                }
                int take = Math.min(staging.remaining(), bytes.remaining());
                ByteBuffer slice = bytes.slice(bytes.position(), take);
                staging.put(slice);
                bytes.position(bytes.position() + take);
            }
        }

        void finish() throws IOException {
            if (written != expected) {
                throw new IOException("tensor " + tensor.name() + " produced " + written + " bytes, expected "
                        + expected + " (dtype " + tensor.dtype() + ", shape " + Arrays.toString(tensor.shape()) + ")");
            }
            flush();
        }

        private void flush() throws IOException {
            staging.flip();
            writeFully(ch, staging);
            staging.clear();
        }
    }
}
