package dev.m2m100.engine.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.m2m100.engine.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {

    @TempDir
    Path tmp;

    /** Writes the 8-byte length, the header text as given, and the data bytes. */
    static byte[] fileBytes(long declaredHeaderLength, String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(declaredHeaderLength).put(h).put(data);
        return b.array();
    }

    static byte[] fileBytes(String header, byte[] data) {
        return fileBytes(header.getBytes(StandardCharsets.UTF_8).length, header, data);
    }

    Path write(String name, byte[] bytes) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    static byte[] floatsLE(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static final String VALID_HEADER = """
            {"__metadata__":{"format":"pt"},
             "a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},
             "h":{"dtype":"F16","shape":[2],"data_offsets":[16,20]},
             "b":{"dtype":"BF16","shape":[2],"data_offsets":[20,24]},
             "q":{"dtype":"I8","shape":[4],"data_offsets":[24,28]},
             "i":{"dtype":"I32","shape":[1],"data_offsets":[28,32]}}   \
            """;

    static byte[] validData() {
        ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        b.putFloat(1f).putFloat(-2.5f).putFloat(3.25f).putFloat(1e-3f);
        b.putShort(Float.floatToFloat16(0.5f)).putShort(Float.floatToFloat16(-65504f));
        b.putShort((short) (Float.floatToRawIntBits(1.5f) >>> 16)).putShort((short) (Float.floatToRawIntBits(-3f) >>> 16));
        b.put((byte) -128).put((byte) 0).put((byte) 7).put((byte) 127);
        b.putInt(42);
        return b.array();
    }

    private SafetensorsException broken(String header, byte[] data) throws IOException {
        Path p = write("broken.safetensors", fileBytes(header, data));
        return assertThrows(SafetensorsException.class, () -> SafetensorsFile.open(p).close());
    }

    private static void assertMessage(SafetensorsException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message '" + e.getMessage() + "' lacks '" + part + "'");
        }
    }

    @Test
    void readsEveryConvertibleDtype() throws IOException {
        Path p = write("ok.safetensors", fileBytes(VALID_HEADER, validData()));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertEquals("pt", f.metadata().get("format"));
            assertEquals(java.util.List.of("a", "b", "h", "i", "q"), java.util.List.copyOf(f.names()));
            TensorInfo a = f.info("a");
            assertEquals(DType.F32, a.dtype());
            assertArrayEquals(new long[] {2, 2}, a.shape());
            assertEquals(16, f.segment("a").byteSize());
            assertArrayEquals(new float[] {1f, -2.5f, 3.25f, 1e-3f}, f.toFloat("a"));
            assertArrayEquals(new float[] {0.5f, -65504f}, f.toFloat("h"));
            assertArrayEquals(new float[] {1.5f, -3f}, f.toFloat("b"));
            assertArrayEquals(new float[] {-128f, 0f, 7f, 127f}, f.toFloat("q"));
            SafetensorsException e = assertThrows(SafetensorsException.class, () -> f.toFloat("i"));
            assertMessage(e, "ok.safetensors", "'i'", "unsupported dtype I32");
            SafetensorsException missing = assertThrows(SafetensorsException.class, () -> f.info("nope"));
            assertMessage(missing, "'nope'", "ok.safetensors");
        }
    }

    @Test
    void tooShortFile() throws IOException {
        Path p = write("short.safetensors", new byte[] {1, 2, 3});
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsFile.open(p));
        assertMessage(e, "short.safetensors", "too short");
    }

    @Test
    void aFolderWhereTheFileShouldBeIsNamed() throws IOException {
        Path p = write("short.safetensors", new byte[0]).resolveSibling("folder.safetensors");
        java.nio.file.Files.createDirectory(p);
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsFile.open(p));
        assertMessage(e, "folder.safetensors", "is a folder"); // was just "No such device"
    }

    @Test
    void truncatedData() throws IOException {
        byte[] full = fileBytes(VALID_HEADER, validData());
        Path p = write("trunc.safetensors", Arrays.copyOf(full, full.length - 3));
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsFile.open(p));
        assertMessage(e, "trunc.safetensors", "tensor 'i'", "run past the end of the data section", "truncated");
    }

    @Test
    void headerLengthLiesPastTheEnd() throws IOException {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        Path p = write("lies.safetensors", fileBytes(header.length() + 100, header, floatsLE(1f)));
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsFile.open(p));
        assertMessage(e, "lies.safetensors", "header length " + (header.length() + 100), "runs past the end of the file");
    }

    @Test
    void headerLengthAbsurd() throws IOException {
        Path p = write("huge.safetensors", fileBytes(Long.MAX_VALUE, "{}", new byte[0]));
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsFile.open(p));
        assertMessage(e, "huge.safetensors", "out of bounds");
        Path neg = write("neg.safetensors", fileBytes(-5, "{}", new byte[0]));
        assertMessage(assertThrows(SafetensorsException.class, () -> SafetensorsFile.open(neg)), "out of bounds");
    }

    @Test
    void headerLengthTooShortCutsTheJson() throws IOException {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        Path p = write("cut.safetensors", fileBytes(header.length() - 5, header, floatsLE(1f)));
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsFile.open(p));
        assertMessage(e, "cut.safetensors", "not valid JSON");
    }

    @Test
    void overlappingRanges() throws IOException {
        SafetensorsException e = broken("""
                {"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},
                 "y":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", new byte[12]);
        assertMessage(e, "broken.safetensors", "'y'", "overlaps", "'x'");
    }

    @Test
    void unknownDtype() throws IOException {
        SafetensorsException e = broken("{\"w\":{\"dtype\":\"F13\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]);
        assertMessage(e, "broken.safetensors", "tensor 'w'", "unknown dtype 'F13'");
    }

    @Test
    void shapeSizeMismatch() throws IOException {
        SafetensorsException e = broken("{\"w\":{\"dtype\":\"F32\",\"shape\":[3,2],\"data_offsets\":[0,16]}}",
                new byte[16]);
        assertMessage(e, "broken.safetensors", "tensor 'w'", "needs 24 bytes", "hold 16");
    }

    @Test
    void nonJsonHeader() throws IOException {
        SafetensorsException e = broken("this is not json at all!", new byte[0]);
        assertMessage(e, "broken.safetensors", "not valid JSON");
    }

    @Test
    void headerNotAnObject() throws IOException {
        SafetensorsException e = broken("[1,2,3]", new byte[0]);
        assertMessage(e, "broken.safetensors", "not a JSON object");
    }

    @Test
    void duplicateNames() throws IOException {
        SafetensorsException e = broken("""
                {"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},
                 "w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", new byte[8]);
        assertMessage(e, "broken.safetensors", "duplicate tensor name 'w'");
    }

    @Test
    void badShapeAndOffsets() throws IOException {
        assertMessage(broken("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", new byte[4]),
                "tensor 'w'", "invalid dimension");
        assertMessage(broken("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", new byte[4]),
                "tensor 'w'", "end before they begin");
        assertMessage(broken("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", new byte[4]),
                "tensor 'w'", "data_offsets");
        assertMessage(broken("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]),
                "tensor 'w'", "dtype");
    }

    @Test
    void fixtureTensorsAndFp16Upcast() throws IOException {
        Path dir = Fixtures.tinyModel();
        try (SafetensorsCheckpoint f32 = SafetensorsCheckpoint.open(dir);
             SafetensorsCheckpoint f16 = SafetensorsCheckpoint.open(dir.resolve("fp16"))) {
            assertEquals(89, f32.names().size());
            assertEquals(f32.names(), f16.names());
            assertArrayEquals(new long[] {4101, 64}, f32.info("model.shared.weight").shape());
            assertEquals(DType.F16, f16.info("model.shared.weight").dtype());
            for (String name : f32.names()) {
                float[] a = f32.toFloat(name);
                float[] b = f16.toFloat(name);
                assertEquals(a.length, b.length, name);
                for (int i = 0; i < a.length; i++) {
                    // the fp16 file is model.half() of the fp32 one: round-to-nearest of each value
                    assertEquals(Float.float16ToFloat(Float.floatToFloat16(a[i])), b[i], name + "[" + i + "]");
                }
            }
        }
    }
}
