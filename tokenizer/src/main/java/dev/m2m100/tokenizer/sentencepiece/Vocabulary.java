package dev.m2m100.tokenizer.sentencepiece;

import dev.m2m100.tokenizer.sentencepiece.proto.SentencePieceModelProtos.ModelProto;
import dev.m2m100.tokenizer.sentencepiece.proto.SentencePieceModelProtos.ModelProto.SentencePiece.Type;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The model's pieces, types and scores, with the two lookup tables of the C++ ModelInterface: "pieces"
 * (NORMAL, USER_DEFINED, UNUSED: what segmentation may produce) and "reserved" (CONTROL, UNKNOWN, BYTE).
 */
final class Vocabulary {

    final String[] pieces;
    final Type[] types;
    final float[] scores;
    final PieceTable segmentable;
    final int unkId;
    final List<String> userDefined;
    private final Map<String, Integer> byString;

    Vocabulary(ModelProto proto) {
        int n = proto.getPiecesCount();
        pieces = new String[n];
        types = new Type[n];
        scores = new float[n];
        List<byte[]> keys = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        Map<String, Integer> normal = new HashMap<>();
        Map<String, Integer> reserved = new HashMap<>();
        List<String> user = new ArrayList<>();
        int unk = -1;
        for (int i = 0; i < n; i++) {
            ModelProto.SentencePiece sp = proto.getPieces(i);
            String piece = sp.getPiece();
            if (piece.isEmpty()) {
                throw new IllegalArgumentException("piece " + i + " is empty");
            }
            pieces[i] = piece;
            types[i] = sp.getType();
            scores[i] = sp.getScore();
            boolean isNormal = sp.getType() == Type.NORMAL || sp.getType() == Type.USER_DEFINED
                    || sp.getType() == Type.UNUSED;
            Map<String, Integer> target = isNormal ? normal : reserved;
            if (target.putIfAbsent(piece, i) != null) {
                throw new IllegalArgumentException("piece '" + piece + "' (id " + i + ") is already defined");
            }
            if (isNormal) {
                keys.add(piece.getBytes(StandardCharsets.UTF_8));
                ids.add(i);
            }
            if (sp.getType() == Type.USER_DEFINED) {
                user.add(piece);
            }
            if (sp.getType() == Type.UNKNOWN) {
                if (unk >= 0) {
                    throw new IllegalArgumentException("more than one UNKNOWN piece (ids " + unk + " and " + i + ")");
                }
                unk = i;
            }
        }
        for (String piece : reserved.keySet()) {
            if (normal.containsKey(piece)) {
                throw new IllegalArgumentException("piece '" + piece + "' is defined twice (ids "
                        + normal.get(piece) + " and " + reserved.get(piece) + ")");
            }
        }
        if (unk < 0) {
            throw new IllegalArgumentException("the model has no UNKNOWN piece");
        }
        unkId = unk;
        userDefined = List.copyOf(user);
        segmentable = new PieceTable(keys.toArray(new byte[0][]),
                ids.stream().mapToInt(Integer::intValue).toArray());
        byString = new HashMap<>(normal);
        reserved.forEach(byString::put);  // reserved pieces win, as PieceToId looks them up first
    }

    /** PieceToId of the C++ library: reserved pieces first, then the others, else the unknown id. */
    int pieceToId(String piece) {
        Integer id = byString.get(piece);
        return id == null ? unkId : id;
    }

    int size() {
        return pieces.length;
    }
}
