package dev.m2m100.tools.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestrictedUnpicklerTest {

    /** Builds pickle bytes by hand. */
    static final class P {
        final ByteArrayOutputStream b = new ByteArrayOutputStream();

        P op(int... ops) {
            for (int o : ops) {
                b.write(o);
            }
            return this;
        }

        P global(String module, String name) {
            op('c');
            b.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
            return this;
        }

        P str(String s) {
            byte[] u = s.getBytes(StandardCharsets.UTF_8);
            op('X', u.length, 0, 0, 0);
            b.writeBytes(u);
            return this;
        }

        P int1(int v) {
            return op('K', v);
        }

        byte[] bytes() {
            return b.toByteArray();
        }
    }

    private static UnsafePickleException refused(byte[] pickle) {
        return assertThrows(UnsafePickleException.class, () -> RestrictedUnpickler.readStateDict(pickle, "test.pkl"));
    }

    @Test
    void globalOsSystemIsRefused() {
        byte[] p = new P().op(0x80, 2).global("os", "system").op('(').str("echo pwned").op('t', 'R', '.').bytes();
        UnsafePickleException e = refused(p);
        assertTrue(e.getMessage().contains("unsafe pickle") && e.getMessage().contains("'os.system'"), e.getMessage());
    }

    @Test
    void builtinsEvalIsRefused() {
        byte[] p = new P().op(0x80, 2).global("builtins", "eval").str("__import__('os')").op(0x85, 'R', '.').bytes();
        UnsafePickleException e = refused(p);
        assertTrue(e.getMessage().contains("'builtins.eval'"), e.getMessage());
    }

    @Test
    void stackGlobalIsCheckedToo() {
        byte[] sub = "subprocess".getBytes(StandardCharsets.US_ASCII);
        P p = new P().op(0x80, 4).op(0x8c, sub.length);
        p.b.writeBytes(sub);
        p.op(0x8c, 5);
        p.b.writeBytes("Popen".getBytes(StandardCharsets.US_ASCII));
        UnsafePickleException e = refused(p.op(0x93, ')', 'R', '.').bytes());
        assertTrue(e.getMessage().contains("'subprocess.Popen'"), e.getMessage());
    }

    @Test
    void nestedReduceOnAResultIsRefused() {
        // OrderedDict()() : calling what a call returned.
        byte[] p = new P().op(0x80, 2).global("collections", "OrderedDict").op(')', 'R', ')', 'R', '.').bytes();
        UnsafePickleException e = refused(p);
        assertTrue(e.getMessage().contains("unsafe pickle") && e.getMessage().contains("REDUCE calls a dict"), e.getMessage());
    }

    @Test
    void callingAStorageClassIsRefused() {
        byte[] p = new P().op(0x80, 2).global("torch", "FloatStorage").op(')', 'R', '.').bytes();
        UnsafePickleException e = refused(p);
        assertTrue(e.getMessage().contains("'torch.FloatStorage', which may not be called"), e.getMessage());
    }

    @Test
    void otherTorchGlobalsAreRefused() {
        byte[] p = new P().op(0x80, 2).global("torch", "load").op(')', 'R', '.').bytes();
        assertTrue(refused(p).getMessage().contains("'torch.load'"));
    }

    @Test
    void instOpcodeIsRefused() {
        // INST 'i' builds an object from a class named inline: never needed by a state dict.
        P p = new P().op(0x80, 2, '(').op('i');
        p.b.writeBytes("os\nsystem\n".getBytes(StandardCharsets.US_ASCII));
        UnsafePickleException e = refused(p.op('.').bytes());
        assertTrue(e.getMessage().contains("opcode 0x69 ('i')"), e.getMessage());
    }

    @Test
    void foreignPersistentIdIsRefused() {
        byte[] p = new P().op(0x80, 2).str("evil").op('Q', '.').bytes();
        assertTrue(refused(p).getMessage().contains("persistent id"));
    }

    /** A state dict with one parameter (via _rebuild_parameter) and an OrderedDict with _metadata, as torch writes. */
    static byte[] validStateDict() {
        P p = new P().op(0x80, 2).global("collections", "OrderedDict").op(')', 'R');
        p.op('(').str("w");
        p.global("torch._utils", "_rebuild_parameter").op('(');
        p.global("torch._utils", "_rebuild_tensor_v2").op('(');
        p.op('(').str("storage").global("torch", "HalfStorage").str("0").str("cpu").int1(6).op('t', 'Q');
        p.int1(0).int1(2).int1(3).op(0x86).int1(3).int1(1).op(0x86).op(0x89);
        p.global("collections", "OrderedDict").op(')', 'R', 't', 'R');
        p.op(0x88).global("collections", "OrderedDict").op(')', 'R', 't', 'R');
        p.op('u');
        // BUILD with {'_metadata': {'': {'version': 1}}}
        p.op('}').str("_metadata").op('}').str("").op('}').str("version").int1(1).op('s', 's', 's', 'b', '.');
        return p.bytes();
    }

    @Test
    void stateDictWithParameterAndMetadataIsRead() throws IOException {
        Map<String, TensorRef> sd = RestrictedUnpickler.readStateDict(validStateDict(), "ok.pkl");
        assertEquals(1, sd.size());
        TensorRef w = sd.get("w");
        assertEquals(TorchDtype.HALF, w.storage().dtype());
        assertEquals("0", w.storage().key());
        assertArrayEquals(new long[] {2, 3}, w.shape());
        assertArrayEquals(new long[] {3, 1}, w.stride());
        assertTrue(w.isContiguous());
    }

    @Test
    void maliciousCheckpointIsRefusedByConvertAndWritesNothing(@TempDir Path tmp) throws IOException {
        Path bin = tmp.resolve("pytorch_model.bin");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(bin))) {
            z.putNextEntry(new ZipEntry("archive/data.pkl"));
            z.write(new P().op(0x80, 2).global("os", "system").str("touch " + tmp.resolve("pwned")).op(0x85, 'R', '.').bytes());
            z.closeEntry();
        }
        Path out = tmp.resolve("model.safetensors");
        UnsafePickleException e = assertThrows(UnsafePickleException.class, () -> PytorchToSafetensors.convert(bin, out, null));
        assertTrue(e.getMessage().contains("'os.system'") && e.getMessage().contains("pytorch_model.bin"), e.getMessage());
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(tmp.resolve("pwned")));
    }

    @Test
    void smallHalfCheckpointConvertsToF32(@TempDir Path tmp) throws IOException {
        Path bin = tmp.resolve("pytorch_model.bin");
        short[] halves = {0x3c00, (short) 0xc000, 0x3800, 0x0000, 0x7bff, 0x0001}; // 1, -2, 0.5, 0, 65504, 2^-24
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(bin))) {
            z.putNextEntry(new ZipEntry("archive/data.pkl"));
            z.write(validStateDict());
            z.closeEntry();
            z.putNextEntry(new ZipEntry("archive/data/0"));
            for (short h : halves) {
                z.write(h & 0xff);
                z.write((h >>> 8) & 0xff);
            }
            z.closeEntry();
        }
        Path out = tmp.resolve("m.safetensors");
        PytorchToSafetensors.convert(bin, out, dev.m2m100.engine.safetensors.SafetensorsWriter.Dtype.F32);
        dev.m2m100.tools.ParsedSafetensors p = dev.m2m100.tools.ParsedSafetensors.read(out);
        assertEquals("F32", p.header().get("w").get("dtype").asText());
        java.nio.ByteBuffer data = java.nio.ByteBuffer.wrap(p.bytes("w")).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        float[] want = {1f, -2f, 0.5f, 0f, 65504f, 0x1p-24f};
        for (float f : want) {
            assertEquals(f, data.getFloat());
        }
    }
}
