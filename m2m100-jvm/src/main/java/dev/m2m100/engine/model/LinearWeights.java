package dev.m2m100.engine.model;

/** A linear layer as Hugging Face stores it: {@code weight [out][in]} row-major and {@code bias [out]}. */
public record LinearWeights(float[] weight, float[] bias, int outFeatures, int inFeatures) {

    public LinearWeights {
        if (weight.length != (long) outFeatures * inFeatures || bias.length != outFeatures) {
            throw new IllegalArgumentException("linear layer " + outFeatures + " x " + inFeatures + " given "
                    + weight.length + " weights and " + bias.length + " biases");
        }
    }

    /** The layers' rows stacked (same input size): a fused projection such as q|k|v. */
    public static LinearWeights stack(LinearWeights... parts) {
        int in = parts[0].inFeatures();
        int out = 0;
        for (LinearWeights p : parts) {
            if (p.inFeatures() != in) {
                throw new IllegalArgumentException("cannot stack layers with different input sizes");
            }
            out += p.outFeatures();
        }
        float[] w = new float[out * in];
        float[] b = new float[out];
        int row = 0;
        for (LinearWeights p : parts) {
            System.arraycopy(p.weight(), 0, w, row * in, p.weight().length);
            System.arraycopy(p.bias(), 0, b, row, p.outFeatures());
            row += p.outFeatures();
        }
        return new LinearWeights(w, b, out, in);
    }
}
