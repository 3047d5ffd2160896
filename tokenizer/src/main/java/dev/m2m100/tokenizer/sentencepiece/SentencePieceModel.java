package dev.m2m100.tokenizer.sentencepiece;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.m2m100.tokenizer.sentencepiece.proto.SentencePieceModelProtos.ModelProto;
import dev.m2m100.tokenizer.sentencepiece.proto.SentencePieceModelProtos.ModelProto.SentencePiece.Type;
import dev.m2m100.tokenizer.sentencepiece.proto.SentencePieceModelProtos.NormalizerSpec;
import dev.m2m100.tokenizer.sentencepiece.proto.SentencePieceModelProtos.TrainerSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A loaded SentencePiece model: normalizer + segmenter (BPE or unigram, from the trainer spec) + the
 * processor-level rules of the C++ SentencePieceProcessor (runs of unknown pieces merge into one, decode
 * drops the first leading U+2581). Immutable and thread-safe.
 */
public final class SentencePieceModel {

    private static final String SPACE = "\u2581";

    private final ModelProto proto;
    private final Vocabulary vocab;
    private final Normalizer normalizer;
    private final Segmenter segmenter;
    private final String unkSurface;
    private final boolean stripLeadingSpaceOnDecode;

    private SentencePieceModel(ModelProto proto, String source) {
        this.proto = proto;
        try {
            vocab = new Vocabulary(proto);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
        TrainerSpec trainer = proto.getTrainerSpec();
        if (trainer.getByteFallback()) {
            throw new IllegalArgumentException(source + ": byte_fallback models are not supported");
        }
        if (trainer.getTreatWhitespaceAsSuffix()) {
            throw new IllegalArgumentException(source + ": treat_whitespace_as_suffix models are not supported");
        }
        NormalizerSpec ns = proto.getNormalizerSpec();
        PrefixMatcher userSymbols = PrefixMatcher.of(vocab.userDefined);
        try {
            normalizer = new Normalizer(ns.getPrecompiledCharsmap().toByteArray(), ns.getAddDummyPrefix(),
                    ns.getRemoveExtraWhitespaces(), ns.getEscapeWhitespaces(),
                    trainer.getTreatWhitespaceAsSuffix(), userSymbols);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": normalizer_spec: " + e.getMessage(), e);
        }
        segmenter = switch (trainer.getModelType()) {
            case BPE -> new BpeSegmenter(vocab, userSymbols);
            case UNIGRAM -> new UnigramSegmenter(vocab);
            default -> throw new IllegalArgumentException(source + ": model_type "
                    + trainer.getModelType() + " is not supported (only BPE and UNIGRAM)");
        };
        unkSurface = trainer.getUnkSurface();
        stripLeadingSpaceOnDecode = ns.getAddDummyPrefix() || ns.getRemoveExtraWhitespaces();
    }

    /** Loads a {@code .model} file (a serialized ModelProto). */
    public static SentencePieceModel load(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "SentencePiece model file not found");
        }
        return parse(bytes, file.toString());
    }

    /** Parses a serialized ModelProto; {@code source} names it in error messages. */
    public static SentencePieceModel parse(byte[] bytes, String source) throws IOException {
        ModelProto proto;
        try {
            proto = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IOException(source + ": not a SentencePiece model (" + e.getMessage() + ")", e);
        }
        if (proto.getPiecesCount() == 0) {
            throw new IOException(source + ": not a SentencePiece model (no pieces)");
        }
        try {
            return new SentencePieceModel(proto, source);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** The parsed model file. */
    public ModelProto proto() {
        return proto;
    }

    public Normalizer normalizer() {
        return normalizer;
    }

    /** Number of pieces. */
    public int size() {
        return vocab.size();
    }

    public int unkId() {
        return vocab.unkId;
    }

    public String idToPiece(int id) {
        return vocab.pieces[id];
    }

    /** The id of a piece string; the unknown id when the model does not have it. */
    public int pieceToId(String piece) {
        return vocab.pieceToId(piece);
    }

    public boolean isUnknown(int id) {
        return vocab.types[id] == Type.UNKNOWN;
    }

    public boolean isControl(int id) {
        return vocab.types[id] == Type.CONTROL;
    }

    /** Encodes text and hands every piece to {@code consumer}, in order. */
    public void encode(String text, PieceConsumer consumer) {
        byte[] normalized = normalizer.normalize(Utf8.encode(text, 0, text.length()));
        if (normalized.length == 0) {
            return;
        }
        Segments seg = new Segments(normalized.length / 2 + 4);
        segmenter.segment(normalized, seg);
        int unk = vocab.unkId;
        int i = 0;
        while (i < seg.size) {
            int id = seg.id[i];
            int start = seg.start[i];
            int end = seg.end[i];
            i++;
            if (id == unk) {
                // A run of unknown pieces becomes one unknown piece spanning their text.
                while (i < seg.size && seg.id[i] == unk) {
                    end = seg.end[i];
                    i++;
                }
            }
            consumer.accept(normalized, start, end, id);
        }
    }

    /** Pieces as strings (spm_encode --output_format=piece; unknown pieces are their text). */
    public List<String> encodeAsPieces(String text) {
        List<String> out = new ArrayList<>();
        encode(text, (buf, s, e, id) -> out.add(new String(buf, s, e - s, StandardCharsets.UTF_8)));
        return out;
    }

    /** Piece ids (spm_encode --output_format=id). */
    public int[] encodeAsIds(String text) {
        IntList out = new IntList();
        encode(text, (buf, s, e, id) -> out.add(id));
        return out.toArray();
    }

    /**
     * Decodes pieces to text as SentencePieceProcessor::Decode: control pieces vanish, the unknown piece
     * itself becomes the unk surface, other unknown strings are kept verbatim, U+2581 becomes a space and
     * the leading U+2581 of the text is dropped.
     */
    public String decodePieces(List<String> pieces) {
        StringBuilder text = new StringBuilder();
        // Until the first non-empty surface, every piece loses one leading U+2581 (spm_decode 0.1.97
        // turns "▁ ▁x" into "x").
        boolean atStart = true;
        for (String piece : pieces) {
            int id = vocab.pieceToId(piece);
            String surface;
            if (isControl(id)) {
                surface = "";
            } else if (isUnknown(id)) {
                surface = vocab.pieces[id].equals(piece) ? unkSurface : piece;
            } else {
                String p = piece;
                if (atStart && stripLeadingSpaceOnDecode && p.startsWith(SPACE)) {
                    p = p.substring(SPACE.length());
                }
                surface = p.replace(SPACE, " ");
            }
            text.append(surface);
            if (!surface.isEmpty()) {
                atStart = false;
            }
        }
        return text.toString();
    }

    /** Minimal growable int list. */
    private static final class IntList {
        private int[] a = new int[16];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}
