package dev.m2m100.tools.convert;

import dev.m2m100.engine.safetensors.SafetensorsWriter;
import dev.m2m100.engine.safetensors.SafetensorsWriter.Dtype;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts a PyTorch zip checkpoint ({@code pytorch_model.bin}) to {@code model.safetensors} the way
 * Hugging Face saves one: metadata {@code {"format":"pt"}}, tied names written once (the embedding as
 * {@code model.shared.weight}, not {@code lm_head.weight} / {@code *.embed_tokens.weight}), data streamed
 * storage by storage, optionally cast to another float dtype.
 */
public final class PytorchToSafetensors {

    /** Names that Hugging Face's M2M100 declares as tied copies of another weight: dropped when an alias exists. */
    private static final List<String> TIED_ALIAS_SUFFIXES = List.of("lm_head.weight", "embed_tokens.weight");
    private static final int CHUNK = 1 << 20;

    /** What a conversion wrote. */
    public record Result(int tensorsWritten, List<String> droppedAliases) {
    }

    private PytorchToSafetensors() {
    }

    /**
     * @param target dtype for floating-point tensors, or null to keep each tensor's own dtype
     */
    public static Result convert(Path in, Path out, Dtype target) throws IOException {
        if (target == Dtype.I8) {
            throw new IllegalArgumentException("--dtype i8 is not a conversion target (use f32, f16 or bf16)");
        }
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(in)) {
            Map<String, List<String>> groups = aliasGroups(ckpt.tensors());
            List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
            List<String> dropped = new ArrayList<>();
            for (List<String> names : groups.values()) {
                String keep = preferredName(names);
                for (String n : names) {
                    if (!n.equals(keep)) {
                        dropped.add(n);
                    }
                }
                tensors.add(tensor(ckpt, keep, ckpt.tensors().get(keep), target));
            }
            SafetensorsWriter.write(out, Map.of("format", "pt"), tensors);
            return new Result(tensors.size(), dropped);
        }
    }

    /** Groups names that are the very same view of one storage; first name of each group in checkpoint order. */
    static Map<String, List<String>> aliasGroups(Map<String, TensorRef> tensors) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        List<String> leaders = new ArrayList<>();
        for (Map.Entry<String, TensorRef> e : tensors.entrySet()) {
            String leader = null;
            for (String l : leaders) {
                if (tensors.get(l).sameViewAs(e.getValue())) {
                    leader = l;
                    break;
                }
            }
            if (leader == null) {
                leaders.add(e.getKey());
                groups.put(e.getKey(), new ArrayList<>(List.of(e.getKey())));
            } else {
                groups.get(leader).add(e.getKey());
            }
        }
        return groups;
    }

    /** The name Hugging Face keeps among tied aliases: not a declared tied copy, then the smallest name. */
    static String preferredName(List<String> names) {
        List<String> primary = names.stream()
                .filter(n -> TIED_ALIAS_SUFFIXES.stream().noneMatch(n::endsWith))
                .sorted().toList();
        return primary.isEmpty() ? names.stream().sorted().findFirst().orElseThrow() : primary.getFirst();
    }

    private static SafetensorsWriter.Tensor tensor(TorchCheckpoint ckpt, String name, TensorRef t, Dtype target)
            throws IOException {
        TorchDtype src = t.storage().dtype();
        Dtype out = (target != null && src.isFloat()) ? target : src.safetensors();
        if (out == null) {
            throw new IOException(ckpt.path() + ": tensor '" + name + "' has storage type torch."
                    + src.storageClass() + ", which cannot be written (supported: float32, float16, bfloat16,"
                    + " float64 with --dtype, int8)");
        }
        if (!t.isContiguous()) {
            throw new IOException(ckpt.path() + ": tensor '" + name + "' is not contiguous (shape "
                    + Arrays.toString(t.shape()) + ", stride " + Arrays.toString(t.stride()) + ")");
        }
        long numel = t.numel();
        long startByte = Math.multiplyExact(t.offset(), src.size());
        long byteLen = Math.multiplyExact(numel, src.size());
        long available = ckpt.storageBytes(t.storage().key());
        if (t.offset() < 0 || t.offset() + numel > t.storage().numel() || startByte + byteLen > available) {
            throw new IOException(ckpt.path() + ": tensor '" + name + "' (offset " + t.offset() + ", "
                    + numel + " elements) runs past its storage data/" + t.storage().key() + " ("
                    + t.storage().numel() + " elements, " + available + " bytes)");
        }
        return new SafetensorsWriter.Tensor(name, out, t.shape(),
                sink -> copy(ckpt, name, t.storage().key(), startByte, byteLen, src, out, sink));
    }

    private static void copy(TorchCheckpoint ckpt, String name, String key, long start, long len,
                             TorchDtype src, Dtype out, SafetensorsWriter.Sink sink) throws IOException {
        boolean same = src.safetensors() == out;
        int chunk = CHUNK / src.size() * src.size();
        byte[] buf = new byte[chunk];
        ByteBuffer converted = same ? null
                : ByteBuffer.allocate(chunk / src.size() * out.size()).order(ByteOrder.LITTLE_ENDIAN);
        try (InputStream in = ckpt.openStorage(key)) {
            in.skipNBytes(start);
            long left = len;
            while (left > 0) {
                int n = (int) Math.min(chunk, left);
                int got = in.readNBytes(buf, 0, n);
                if (got != n) {
                    throw new IOException(ckpt.path() + ": storage data/" + key + " ended early while reading '" + name + "'");
                }
                left -= n;
                if (same) {
                    sink.write(ByteBuffer.wrap(buf, 0, n));
                } else {
                    convert(ByteBuffer.wrap(buf, 0, n).order(ByteOrder.LITTLE_ENDIAN), src, converted.clear(), out);
                    sink.write(converted.flip());
                }
            }
        }
    }

    private static void convert(ByteBuffer in, TorchDtype src, ByteBuffer out, Dtype dst) {
        while (in.hasRemaining()) {
            float v = switch (src) {
                case FLOAT -> in.getFloat();
                case HALF -> FloatFormats.fromF16(in.getShort());
                case BFLOAT16 -> FloatFormats.fromBf16(in.getShort());
                case DOUBLE -> (float) in.getDouble();
                default -> throw new IllegalStateException("not a float storage: " + src);
            };
            switch (dst) {
                case F32 -> out.putFloat(v);
                case F16 -> out.putShort(FloatFormats.toF16(v));
                case BF16 -> out.putShort(FloatFormats.toBf16(v));
                default -> throw new IllegalStateException("not a float target: " + dst);
            }
        }
    }
}
