package dev.m2m100.engine.model;

import dev.m2m100.engine.backend.Backend;
import dev.m2m100.engine.backend.ElementType;
import dev.m2m100.engine.backend.Epilogue;
import dev.m2m100.engine.backend.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The M2M100 encoder over packed sources: scaled token embeddings plus sinusoidal positions, pre-layernorm
 * blocks {@code x += SelfAttn(LN(x)); x += FFN(LN(x))}, then a final layer norm.
 */
final class Encoder {
    static final float LN_EPS = 1e-5f;

    private record Layer(DeviceNorm attnNorm, DeviceLinear qkv, DeviceLinear attnOut, DeviceNorm ffnNorm,
                         DeviceLinear fc1, DeviceLinear fc2) {}

    private final Backend backend;
    private final InputEmbedding input;
    private final StackShape shape;
    private final float attnScale;
    private final List<Layer> layers = new ArrayList<>();
    private final DeviceNorm finalNorm;

    /** Uploads the encoder's weights layer by layer, packed straight from the checkpoint bytes. */
    Encoder(Backend backend, WeightSource w, int layerCount, InputEmbedding input, StackShape shape)
            throws IOException {
        this.backend = backend;
        this.input = input;
        this.shape = shape;
        this.attnScale = shape.attentionScale();
        for (int i = 0; i < layerCount; i++) {
            EncoderLayerWeights l = w.encoderLayer(i);
            AttentionWeights a = l.selfAttn();
            layers.add(new Layer(DeviceNorm.upload(backend, l.selfAttnNorm()),
                    DeviceLinear.upload(backend, a.q(), a.k(), a.v()),
                    DeviceLinear.upload(backend, a.out()),
                    DeviceNorm.upload(backend, l.ffnNorm()),
                    DeviceLinear.upload(backend, l.fc1()),
                    DeviceLinear.upload(backend, l.fc2())));
        }
        this.finalNorm = DeviceNorm.upload(backend, w.encoderNorm());
    }

    /**
     * The encoder's last hidden states {@code [rows × d]} (F32) for packed sequences; the caller closes the tensor.
     * The residual stream is F32, the activations between operations the backend's activation type.
     */
    Tensor forward(int[] ids, int[] positionIds, int[] seqStarts) {
        int n = ids.length;
        ElementType act = backend.activationType();
        Tensor x = backend.allocate(n, shape.d());
        try (Tensor h = backend.allocate(n, shape.d(), act);
             Tensor qkv = backend.allocate(n, 3 * shape.d(), act);
             Tensor att = backend.allocate(n, shape.d(), act);
             Tensor f = backend.allocate(n, shape.ffn(), act)) {
            input.embed(backend, ids, positionIds, x);
            for (Layer l : layers) {
                backend.layerNorm(x, l.attnNorm().gamma(), l.attnNorm().beta(), LN_EPS, h);
                backend.linear(h, l.qkv().weight(), l.qkv().bias(), Epilogue.NONE, qkv);
                backend.selfAttention(qkv, seqStarts, shape.heads(), attnScale, att);
                backend.linear(att, l.attnOut().weight(), l.attnOut().bias(), Epilogue.RESIDUAL, x);
                backend.layerNorm(x, l.ffnNorm().gamma(), l.ffnNorm().beta(), LN_EPS, h);
                backend.linear(h, l.fc1().weight(), l.fc1().bias(), Epilogue.RELU, f);
                backend.linear(f, l.fc2().weight(), l.fc2().bias(), Epilogue.RESIDUAL, x);
            }
            backend.layerNorm(x, finalNorm.gamma(), finalNorm.beta(), LN_EPS, x);
            return x;
        } catch (RuntimeException e) {
            x.close();
            throw e;
        }
    }
}
