package dev.m2m100.engine.safetensors;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Read access to named tensors, from one safetensors file or a sharded checkpoint. Closing unmaps the files. */
public interface TensorStore extends AutoCloseable {

    /** All tensor names, in a stable (sorted) order. */
    Set<String> names();

    /** The tensor's header entry, if present. */
    Optional<TensorInfo> find(String name);

    /** The tensor's header entry; a clear error when there is no such tensor. */
    default TensorInfo info(String name) throws SafetensorsException {
        return find(name).orElseThrow(() -> new SafetensorsException(
                "no tensor named '" + name + "' in " + describe()));
    }

    /** The tensor's raw little-endian bytes, as a read-only slice of the mapped file. */
    MemorySegment segment(String name) throws SafetensorsException;

    /**
     * The tensor converted to float32 (F32 copied, F16/BF16 upcast exactly, I8 as integer values). Other
     * dtypes are an "unsupported dtype" error naming the file and tensor. The tensor's file pages are released
     * from resident memory afterwards (read again, they fault back in from the page cache).
     */
    float[] toFloat(String name) throws SafetensorsException;

    /** The {@code __metadata__} string map (of the first file, for a sharded checkpoint). */
    Map<String, String> metadata();

    /** Where the tensors come from, for messages. */
    String describe();

    @Override
    void close();
}
