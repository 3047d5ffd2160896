package dev.m2m100.engine.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.m2m100.engine.safetensors.SafetensorsCheckpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Builds F32 safetensors model folders for tests (fixture weights with chosen edits). */
public final class TestCheckpoints {
    private TestCheckpoints() {}

    /** A tensor to write: shape and float32 values. */
    public record Entry(long[] shape, float[] values) {}

    /** The fixture's tensors, by name, as F32 entries (editable copy). */
    public static Map<String, Entry> fixtureTensors() throws IOException {
        Map<String, Entry> out = new TreeMap<>();
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(Fixtures.tinyModel())) {
            for (String n : c.names()) {
                out.put(n, new Entry(c.info(n).shape(), c.toFloat(n)));
            }
        }
        return out;
    }

    /** Writes {@code dir/model.safetensors} from the entries and copies the fixture's config files. */
    public static Path writeModel(Path dir, Map<String, Entry> tensors) throws IOException {
        Files.createDirectories(dir);
        Files.copy(Fixtures.tinyModel().resolve("config.json"), dir.resolve("config.json"));
        Files.copy(Fixtures.tinyModel().resolve("generation_config.json"), dir.resolve("generation_config.json"));
        writeF32(dir.resolve("model.safetensors"), tensors);
        return dir;
    }

    public static void writeF32(Path file, Map<String, Entry> tensors) throws IOException {
        write(file, tensors, false);
    }

    /** bfloat16 of a float, rounded to nearest even (as torch's .to(bfloat16)). */
    public static short toBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        int rounded = bits + 0x7fff + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }

    /** Writes the tensors as F32, or as BF16 (rounded to nearest even). */
    public static void write(Path file, Map<String, Entry> tensors, boolean bf16) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode header = mapper.createObjectNode();
        long offset = 0;
        Map<String, Entry> ordered = new LinkedHashMap<>(tensors);
        for (Map.Entry<String, Entry> e : ordered.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", bf16 ? "BF16" : "F32");
            var shape = t.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            long size = (bf16 ? 2L : 4L) * e.getValue().values().length;
            t.putArray("data_offsets").add(offset).add(offset + size);
            offset += size;
        }
        byte[] h = mapper.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (h.length + 7) / 8 * 8;
        try (OutputStream out = Files.newOutputStream(file)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(len.array());
            out.write(h);
            out.write(" ".repeat(padded - h.length).getBytes(StandardCharsets.US_ASCII));
            for (Entry e : ordered.values()) {
                ByteBuffer b = ByteBuffer.allocate((bf16 ? 2 : 4) * e.values().length).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : e.values()) {
                    if (bf16) {
                        b.putShort(toBf16(f));
                    } else {
                        b.putFloat(f);
                    }
                }
                out.write(b.array());
            }
        }
    }
}
