package dev.m2m100.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading a Hugging Face tokenizer folder's files, with errors that name the file (shared by the families). */
final class TokenizerFiles {

    private TokenizerFiles() {
    }

    static Path requireDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "model directory not found");
        }
        return dir;
    }

    static Path requireFile(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new NoSuchFileException(p.toString(), null, "tokenizer file missing from " + dir);
        }
        return p;
    }

    static JsonNode readJsonObject(ObjectMapper json, Path p) throws IOException {
        JsonNode node;
        try {
            node = json.readTree(p.toFile());
        } catch (JsonProcessingException e) {
            throw new IOException(p + ": invalid JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IOException(p + ": expected a JSON object");
        }
        return node;
    }

    /** A token is a string or an AddedToken object with a "content" field. */
    static String content(JsonNode t, String key, Path p) throws IOException {
        if (t.isTextual()) {
            return t.asText();
        }
        if (t.isObject() && t.hasNonNull("content") && t.get("content").isTextual()) {
            return t.get("content").asText();
        }
        throw new IOException(p + ": " + key + " must be a string or an object with \"content\", got " + t);
    }
}
