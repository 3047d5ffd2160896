package dev.m2m100.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/** Test helper: a safetensors file parsed independently of production code (header via Jackson). */
public record ParsedSafetensors(JsonNode header, List<String> order, byte[] data) {

    public static ParsedSafetensors read(Path p) throws IOException {
        byte[] all = Files.readAllBytes(p);
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n % 8 != 0 || 8 + n > all.length) {
            throw new IOException(p + ": header length " + n + " not a multiple of 8 or past the end");
        }
        JsonNode h = new ObjectMapper().readTree(new String(all, 8, (int) n, StandardCharsets.UTF_8));
        List<String> order = new ArrayList<>();
        for (Iterator<String> it = h.fieldNames(); it.hasNext(); ) {
            order.add(it.next());
        }
        return new ParsedSafetensors(h, order, Arrays.copyOfRange(all, 8 + (int) n, all.length));
    }

    public byte[] bytes(String name) {
        JsonNode off = header.get(name).get("data_offsets");
        return Arrays.copyOfRange(data, off.get(0).asInt(), off.get(1).asInt());
    }
}
