package dev.m2m100.engine.model;

import dev.m2m100.engine.backend.Backend;
import dev.m2m100.engine.backend.ElementType;
import dev.m2m100.engine.backend.Epilogue;
import dev.m2m100.engine.backend.KvCache;
import dev.m2m100.engine.backend.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The M2M100 decoder, one position per row per call: scaled embeddings plus positions, pre-layernorm blocks
 * {@code x += CausalSelfAttn(LN(x), cache); x += CrossAttn(LN(x), encoder); x += FFN(LN(x))}, a final layer
 * norm, and logits {@code h · Eᵀ} through the tied embedding matrix (no bias).
 */
final class Decoder {

    private record Layer(DeviceNorm selfNorm, DeviceLinear qkv, DeviceLinear selfOut, DeviceNorm crossNorm,
                         DeviceLinear crossQ, DeviceLinear crossKv, DeviceLinear crossOut, DeviceNorm ffnNorm,
                         DeviceLinear fc1, DeviceLinear fc2) {}

    private final Backend backend;
    private final InputEmbedding input;
    private final StackShape shape;
    private final float attnScale;
    private final List<Layer> layers = new ArrayList<>();
    private final DeviceNorm finalNorm;

    /** Uploads the decoder's weights layer by layer, packed straight from the checkpoint bytes. */
    Decoder(Backend backend, WeightSource w, int layerCount, InputEmbedding input, StackShape shape)
            throws IOException {
        this.backend = backend;
        this.input = input;
        this.shape = shape;
        this.attnScale = shape.attentionScale();
        for (int i = 0; i < layerCount; i++) {
            DecoderLayerWeights l = w.decoderLayer(i);
            AttentionWeights s = l.selfAttn();
            AttentionWeights c = l.crossAttn();
            layers.add(new Layer(DeviceNorm.upload(backend, l.selfAttnNorm()),
                    DeviceLinear.upload(backend, s.q(), s.k(), s.v()),
                    DeviceLinear.upload(backend, s.out()),
                    DeviceNorm.upload(backend, l.crossAttnNorm()),
                    DeviceLinear.upload(backend, c.q()),
                    DeviceLinear.upload(backend, c.k(), c.v()),
                    DeviceLinear.upload(backend, c.out()),
                    DeviceNorm.upload(backend, l.ffnNorm()),
                    DeviceLinear.upload(backend, l.fc1()),
                    DeviceLinear.upload(backend, l.fc2())));
        }
        this.finalNorm = DeviceNorm.upload(backend, w.decoderNorm());
    }

    int layerCount() {
        return layers.size();
    }

    /** Projects packed encoder states to each layer's cross-attention keys and values and stores them per source slot. */
    void storeCrossKv(Tensor encoderStates, int[] seqStarts, KvCache cross, int[] sourceSlots) {
        try (Tensor kv = backend.allocate(encoderStates.rows(), 2 * shape.d(), backend.activationType())) {
            for (int l = 0; l < layers.size(); l++) {
                DeviceLinear p = layers.get(l).crossKv();
                backend.linear(encoderStates, p.weight(), p.bias(), Epilogue.NONE, kv);
                backend.storeKv(kv, seqStarts, cross, l, sourceSlots);
            }
        }
    }

    /**
     * One step: row i consumes {@code tokens[i]} at cache position {@code positions[i]} of self-cache slot
     * {@code rowSlots[i]}, attending to {@code sourceLengths[i]} encoder positions of cross slot
     * {@code sourceSlots[i]}. Returns the logits of the first {@code logitRows} rows {@code [logitRows × vocab]}
     * (F32; the caller closes the tensor), or null when {@code logitRows} is 0: the other rows only fill their
     * caches.
     */
    Tensor step(int[] tokens, int[] positionIds, KvCache self, int[] rowSlots, int[] positions, KvCache cross,
                int[] sourceSlots, int[] sourceLengths, int logitRows) {
        int n = tokens.length;
        ElementType act = backend.activationType();
        try (Tensor x = backend.allocate(n, shape.d());
             Tensor h = backend.allocate(n, shape.d(), act);
             Tensor qkv = backend.allocate(n, 3 * shape.d(), act);
             Tensor q = backend.allocate(n, shape.d(), act);
             Tensor att = backend.allocate(n, shape.d(), act);
             Tensor f = backend.allocate(n, shape.ffn(), act)) {
            input.embed(backend, tokens, positionIds, x);
            for (int li = 0; li < layers.size(); li++) {
                Layer l = layers.get(li);
                backend.layerNorm(x, l.selfNorm().gamma(), l.selfNorm().beta(), Encoder.LN_EPS, h);
                backend.linear(h, l.qkv().weight(), l.qkv().bias(), Epilogue.NONE, qkv);
                backend.cachedSelfAttention(qkv, self, li, rowSlots, positions, shape.heads(), attnScale, att);
                backend.linear(att, l.selfOut().weight(), l.selfOut().bias(), Epilogue.RESIDUAL, x);
                backend.layerNorm(x, l.crossNorm().gamma(), l.crossNorm().beta(), Encoder.LN_EPS, h);
                backend.linear(h, l.crossQ().weight(), l.crossQ().bias(), Epilogue.NONE, q);
                backend.crossAttention(q, cross, li, sourceSlots, sourceLengths, shape.heads(), attnScale, att);
                backend.linear(att, l.crossOut().weight(), l.crossOut().bias(), Epilogue.RESIDUAL, x);
                backend.layerNorm(x, l.ffnNorm().gamma(), l.ffnNorm().beta(), Encoder.LN_EPS, h);
                backend.linear(h, l.fc1().weight(), l.fc1().bias(), Epilogue.RELU, f);
                backend.linear(f, l.fc2().weight(), l.fc2().bias(), Epilogue.RESIDUAL, x);
            }
            return logitRows == 0 ? null : logits(backend.firstRows(x, logitRows), backend.firstRows(h, logitRows));
        }
    }

    /** The final layer norm of the residual stream {@code x} into {@code h}, then {@code h · Eᵀ}. */
    private Tensor logits(Tensor x, Tensor h) {
        backend.layerNorm(x, finalNorm.gamma(), finalNorm.beta(), Encoder.LN_EPS, h);
        Tensor logits = backend.allocate(x.rows(), input.tokens().rows());
        try {
            backend.linear(h, input.tokens(), null, Epilogue.NONE, logits);
        } catch (RuntimeException e) {
            logits.close();
            throw e;
        }
        return logits;
    }
}
