package dev.m2m100.engine.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The model cases of a fixture's reference/model.json (m2m100-tiny by default, nllb-tiny), as plain arrays. */
public final class ReferenceCases {
    private ReferenceCases() {}

    /**
     * One reference case.
     *
     * @param inputIds       padded encoder input {@code [batch][seq]}
     * @param attentionMask  1 on real tokens {@code [batch][seq]}
     * @param encoderStates  {@code [batch][seq][d]}, pad rows included
     * @param decoderIds     teacher-forcing decoder input {@code [batch][t]}
     * @param logitPositions decoder positions the logits belong to
     * @param logits         {@code [batch][position index][vocab]}
     * @param greedy         greedy output sequences {@code [batch][len]} (batch-padded with 1)
     * @param beam           beam output sequences {@code [batch][len]} (batch-padded with 1)
     * @param beamScores     beam {@code sequences_scores}
     * @param forcedBos      the target language token
     */
    public record Case(String id, int[][] inputIds, int[][] attentionMask, float[][][] encoderStates,
                       int[][] decoderIds, int[] logitPositions, float[][][] logits, int[][] greedy,
                       int[][] beam, float[] beamScores, int forcedBos) {

        /** A generated sequence without the batch padding after it ended. */
        public static int[] unpadded(int[] seq) {
            int n = seq.length;
            while (n > 0 && seq[n - 1] == 1) {
                n--;
            }
            return java.util.Arrays.copyOf(seq, n);
        }


        /** Source b without its right padding. */
        public int[] source(int b) {
            int n = 0;
            while (n < attentionMask[b].length && attentionMask[b][n] == 1) {
                n++;
            }
            return java.util.Arrays.copyOf(inputIds[b], n);
        }

        public List<int[]> sources() {
            List<int[]> s = new ArrayList<>();
            for (int b = 0; b < inputIds.length; b++) {
                s.add(source(b));
            }
            return s;
        }

        public int batch() {
            return inputIds.length;
        }
    }

    private static final java.util.Map<Path, List<Case>> CACHED = new java.util.HashMap<>();

    /** The cases of testdata/m2m100-tiny. */
    public static List<Case> load() {
        return load(Fixtures.tinyModel());
    }

    /** The cases of a fixture folder's reference/model.json. */
    public static synchronized List<Case> load(Path modelDir) {
        List<Case> cases = CACHED.get(modelDir);
        if (cases == null) {
            try {
                cases = parse(modelDir.resolve("reference").resolve("model.json"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            CACHED.put(modelDir, cases);
        }
        return cases;
    }

    private static List<Case> parse(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        List<Case> out = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            JsonNode tf = c.get("teacher_forcing");
            out.add(new Case(c.get("id").asText(), ints2(c.get("input_ids")), ints2(c.get("attention_mask")),
                    floats3(c.get("encoder_last_hidden_state")), ints2(tf.get("decoder_input_ids")),
                    ints1(tf.get("logits_positions")), floats3(tf.get("logits")),
                    ints2(c.get("greedy").get("sequences")), ints2(c.get("beam").get("sequences")),
                    floats1(c.get("beam").get("sequences_scores")), c.get("forced_bos_token_id").intValue()));
        }
        return out;
    }

    private static int[] ints1(JsonNode n) {
        int[] a = new int[n.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = n.get(i).intValue();
        }
        return a;
    }

    private static float[] floats1(JsonNode n) {
        float[] a = new float[n.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = n.get(i).floatValue();
        }
        return a;
    }

    private static int[][] ints2(JsonNode n) {
        int[][] a = new int[n.size()][];
        for (int i = 0; i < a.length; i++) {
            a[i] = ints1(n.get(i));
        }
        return a;
    }

    private static float[][][] floats3(JsonNode n) {
        float[][][] a = new float[n.size()][][];
        for (int i = 0; i < a.length; i++) {
            JsonNode m = n.get(i);
            a[i] = new float[m.size()][];
            for (int j = 0; j < m.size(); j++) {
                JsonNode r = m.get(j);
                float[] row = new float[r.size()];
                for (int k = 0; k < row.length; k++) {
                    row[k] = r.get(k).floatValue();
                }
                a[i][j] = row;
            }
        }
        return a;
    }
}
