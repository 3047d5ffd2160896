package dev.m2m100.engine.safetensors;

import static dev.m2m100.engine.safetensors.SafetensorsFileTest.fileBytes;
import static dev.m2m100.engine.safetensors.SafetensorsFileTest.floatsLE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsCheckpointTest {

    @TempDir
    Path tmp;

    private void shards() throws IOException {
        Files.write(tmp.resolve("model-00001-of-00002.safetensors"),
                fileBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", floatsLE(1f, 2f)));
        Files.write(tmp.resolve("model-00002-of-00002.safetensors"),
                fileBytes("{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", floatsLE(3f)));
    }

    @Test
    void shardedThroughIndex() throws IOException {
        shards();
        Files.writeString(tmp.resolve(SafetensorsCheckpoint.INDEX_FILE), """
                {"metadata":{"total_size":12},"weight_map":{
                  "a":"model-00001-of-00002.safetensors","b":"model-00002-of-00002.safetensors"}}""");
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(tmp)) {
            assertEquals(java.util.Set.of("a", "b"), c.names());
            assertArrayEquals(new float[] {1f, 2f}, c.toFloat("a"));
            assertArrayEquals(new float[] {3f}, c.toFloat("b"));
            assertEquals(2, c.files().size());
        }
    }

    @Test
    void indexNamesATensorTheShardLacks() throws IOException {
        shards();
        Files.writeString(tmp.resolve(SafetensorsCheckpoint.INDEX_FILE), """
                {"weight_map":{"a":"model-00001-of-00002.safetensors","c":"model-00002-of-00002.safetensors"}}""");
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsCheckpoint.open(tmp));
        assertTrue(e.getMessage().contains("'c'") && e.getMessage().contains("model-00002-of-00002.safetensors"),
                e.getMessage());
    }

    @Test
    void indexWithMissingShardOrNoWeightMap() throws IOException {
        Files.writeString(tmp.resolve(SafetensorsCheckpoint.INDEX_FILE), "{\"weight_map\":{\"a\":\"gone.safetensors\"}}");
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsCheckpoint.open(tmp));
        assertTrue(e.getMessage().contains("gone.safetensors"), e.getMessage());
        Files.writeString(tmp.resolve(SafetensorsCheckpoint.INDEX_FILE), "{\"metadata\":{}}");
        e = assertThrows(SafetensorsException.class, () -> SafetensorsCheckpoint.open(tmp));
        assertTrue(e.getMessage().contains("weight_map"), e.getMessage());
    }

    @Test
    void folderWithoutWeights() {
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsCheckpoint.open(tmp));
        assertTrue(e.getMessage().contains("no *.safetensors file"), e.getMessage());
    }

    @Test
    void folderWithSeveralLooseFilesIsAmbiguous() throws IOException {
        shards();
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsCheckpoint.open(tmp));
        assertTrue(e.getMessage().contains("ambiguous"), e.getMessage());
    }
}
