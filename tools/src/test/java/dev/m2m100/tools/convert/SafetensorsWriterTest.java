package dev.m2m100.tools.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.m2m100.engine.safetensors.SafetensorsFile;
import dev.m2m100.engine.safetensors.SafetensorsWriter;
import dev.m2m100.engine.safetensors.SafetensorsWriter.Dtype;
import dev.m2m100.engine.safetensors.SafetensorsWriter.Tensor;
import dev.m2m100.tools.ParsedSafetensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterTest {

    private static Tensor floats(String name, long[] shape, float... values) {
        return new Tensor(name, Dtype.F32, shape, sink -> {
            ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                b.putFloat(v);
            }
            sink.write(b.flip());
        });
    }

    private static Tensor halves(String name, Dtype dtype, float... values) {
        return new Tensor(name, dtype, new long[] {values.length}, sink -> {
            ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                b.putShort(dtype == Dtype.F16 ? FloatFormats.toF16(v) : FloatFormats.toBf16(v));
            }
            sink.write(b.flip());
        });
    }

    @Test
    void mixedDtypesAreLaidOutLikeTheRustWriterAndReadBackByTheEngine(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("mixed.safetensors");
        Tensor i8 = new Tensor("a.int8", Dtype.I8, new long[] {3}, sink -> sink.write(ByteBuffer.wrap(new byte[] {-1, 0, 7})));
        SafetensorsWriter.write(file, Map.of("format", "pt"), List.of(
                halves("z.half", Dtype.F16, 1.5f, -2f),
                i8,
                floats("b.scalar", new long[] {}, 42f),
                halves("c.bf16", Dtype.BF16, 3f),
                floats("a.matrix", new long[] {2, 2}, 1f, 2f, 3f, 4f),
                floats("empty", new long[] {0, 5})));

        ParsedSafetensors p = ParsedSafetensors.read(file);
        // F32 first (by name), then BF16, F16, I8 — descending dtype as the Rust enum orders them.
        assertEquals(List.of("__metadata__", "a.matrix", "b.scalar", "empty", "c.bf16", "z.half", "a.int8"), p.order());
        assertEquals("[0,16]", p.header().get("a.matrix").get("data_offsets").toString());
        assertEquals("[]", p.header().get("b.scalar").get("shape").toString());
        assertEquals("[20,20]", p.header().get("empty").get("data_offsets").toString());
        byte[] all = Files.readAllBytes(file);
        long headerLen = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8, "header padded to 8 bytes");
        String header = new String(all, 8, (int) headerLen, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"pt\"},\"a.matrix\":{\"dtype\":\"F32\""), header);
        assertTrue(header.matches("(?s)\\{.*\\} *"), "JSON object, then only spaces as padding: " + header);
        assertEquals(8 + headerLen + 16 + 4 + 2 + 4 + 3, all.length);

        // The engine's reader (written independently) agrees.
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertArrayEquals(new float[] {1f, 2f, 3f, 4f}, f.toFloat("a.matrix"));
            assertArrayEquals(new float[] {42f}, f.toFloat("b.scalar"));
            assertArrayEquals(new float[] {3f}, f.toFloat("c.bf16"));
            assertArrayEquals(new float[] {1.5f, -2f}, f.toFloat("z.half"));
            assertArrayEquals(new float[] {-1f, 0f, 7f}, f.toFloat("a.int8"));
            assertEquals(Map.of("format", "pt"), f.metadata());
        }
    }

    @Test
    void oddNamesAreEscapedAsJson(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("names.safetensors");
        String odd = "quote\"back\\slash\ttab\u0001ctl é";
        SafetensorsWriter.write(file, Map.of(), List.of(floats(odd, new long[] {1}, 1f)));
        ParsedSafetensors p = ParsedSafetensors.read(file);
        assertEquals(List.of(odd), p.order(), "no __metadata__ when there is none");
        String header = new String(Files.readAllBytes(file), 8, 64, StandardCharsets.UTF_8);
        assertTrue(header.contains("quote\\\"back\\\\slash\\ttab\\u0001ctl é"), header);
    }

    @Test
    void aTensorWithTheWrongByteCountFailsAndLeavesNoFile(@TempDir Path tmp) {
        Path file = tmp.resolve("bad.safetensors");
        IOException shortData = assertThrows(IOException.class, () -> SafetensorsWriter.write(file, Map.of(),
                List.of(floats("ok", new long[] {1}, 1f), floats("short", new long[] {2, 2}, 1f, 2f, 3f))));
        assertTrue(shortData.getMessage().contains("short") && shortData.getMessage().contains("12 bytes, expected 16"),
                shortData.getMessage());
        IOException longData = assertThrows(IOException.class, () -> SafetensorsWriter.write(file, Map.of(),
                List.of(floats("long", new long[] {1}, 1f, 2f))));
        assertTrue(longData.getMessage().contains("long") && longData.getMessage().contains("more than its 4 bytes"),
                longData.getMessage());
        assertFalse(Files.exists(file));
        assertFalse(Files.exists(tmp.resolve("bad.safetensors.tmp")));
    }

    @Test
    void duplicateNamesAreRefused(@TempDir Path tmp) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(
                tmp.resolve("d.safetensors"), Map.of(), List.of(floats("w", new long[] {1}, 1f), floats("w", new long[] {1}, 2f))));
        assertTrue(e.getMessage().contains("'w'"), e.getMessage());
    }
}
