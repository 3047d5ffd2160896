package dev.m2m100.tools.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.m2m100.engine.safetensors.SafetensorsWriter.Dtype;
import dev.m2m100.tools.ParsedSafetensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PytorchToSafetensorsTest {

    static final Path FIXTURE = Path.of("..", "testdata", "m2m100-tiny");
    static final Path BIN = FIXTURE.resolve("pytorch/pytorch_model.bin");

    @Test
    void fixtureCheckpointConvertsToExactlyTheFixtureSafetensors(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("model.safetensors");
        PytorchToSafetensors.Result r = PytorchToSafetensors.convert(BIN, out, null);

        assertEquals(89, r.tensorsWritten());
        assertEquals(List.of("model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight", "lm_head.weight"),
                r.droppedAliases().stream().sorted((a, b) -> order(a) - order(b)).toList());

        Path expected = FIXTURE.resolve("model.safetensors");
        ParsedSafetensors want = ParsedSafetensors.read(expected);
        ParsedSafetensors got = ParsedSafetensors.read(out);
        assertEquals(want.order(), got.order(), "tensor order in the header");
        for (String name : want.order()) {
            assertEquals(want.header().get(name), got.header().get(name), "header entry of " + name);
            if (!name.equals("__metadata__")) {
                assertArrayEquals(want.bytes(name), got.bytes(name), "bytes of " + name);
            }
        }
        assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(out), "whole file byte-identical");
        assertFalse(Files.exists(tmp.resolve("model.safetensors.tmp")), "temporary file removed");
    }

    private static int order(String n) {
        return List.of("model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight", "lm_head.weight").indexOf(n);
    }

    @Test
    void tensorListMatchesReferenceChecks(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("m.safetensors");
        PytorchToSafetensors.convert(BIN, out, null);
        JsonNode checks = new ObjectMapper().readTree(FIXTURE.resolve("reference/checks.json").toFile());
        JsonNode shapes = checks.get("safetensors_tensors");
        ParsedSafetensors got = ParsedSafetensors.read(out);
        assertEquals(shapes.size() + 1, got.header().size(), "tensors + __metadata__");
        for (Map.Entry<String, JsonNode> e : shapes.properties()) {
            assertTrue(got.header().has(e.getKey()), e.getKey());
            assertEquals(e.getValue(), got.header().get(e.getKey()).get("shape"), e.getKey());
        }
        assertEquals(checks.get("safetensors_metadata"), got.header().get("__metadata__"));
    }

    @Test
    void castToF16MatchesTheFixturesHalfFile(@TempDir Path tmp) throws IOException {
        // The fixture's fp16 file is model.half() saved by HF: same rounding (nearest even) expected.
        Path out = tmp.resolve("m16.safetensors");
        PytorchToSafetensors.convert(BIN, out, Dtype.F16);
        assertArrayEquals(Files.readAllBytes(FIXTURE.resolve("fp16/model-fp16.safetensors")), Files.readAllBytes(out));
    }

    @Test
    void castToBf16RoundsToNearestEven(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("mbf.safetensors");
        PytorchToSafetensors.convert(BIN, out, Dtype.BF16);
        ParsedSafetensors f32 = ParsedSafetensors.read(FIXTURE.resolve("model.safetensors"));
        ParsedSafetensors bf = ParsedSafetensors.read(out);
        String name = "model.shared.weight";
        assertEquals("BF16", bf.header().get(name).get("dtype").asText());
        ByteBuffer a = ByteBuffer.wrap(f32.bytes(name)).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer b = ByteBuffer.wrap(bf.bytes(name)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(a.capacity() / 2, b.capacity());
        int exactDiffs = 0;
        while (a.hasRemaining()) {
            float x = a.getFloat();
            float y = FloatFormats.fromBf16(b.getShort());
            assertTrue(Math.abs(x - y) <= Math.abs(x) * 0x1p-8f, x + " -> " + y);
            if (x != y) {
                exactDiffs++;
            }
        }
        assertTrue(exactDiffs > 0, "bf16 really rounds");
    }

    @Test
    void notAZipIsAClearError(@TempDir Path tmp) throws IOException {
        Path bad = tmp.resolve("bad.bin");
        Files.write(bad, new byte[] {(byte) 0x80, 2, 'x', 'y'});
        IOException e = assertThrows(IOException.class, () -> PytorchToSafetensors.convert(bad, tmp.resolve("o"), null));
        assertTrue(e.getMessage().contains("legacy"), e.getMessage());
    }
}
