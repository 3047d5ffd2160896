package dev.m2m100.tokenizer.sentencepiece;

import dev.m2m100.tokenizer.Fixtures;
import dev.m2m100.tokenizer.sentencepiece.proto.SentencePieceModelProtos.ModelProto;
import dev.m2m100.tokenizer.sentencepiece.proto.SentencePieceModelProtos.TrainerSpec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing the .model file with the generated protobuf classes, and clear errors for what we cannot use. */
class ModelLoadingTest {

    private static ModelProto fixture() throws IOException {
        return ModelProto.parseFrom(Files.readAllBytes(Fixtures.modelDir().resolve("sentencepiece.bpe.model")));
    }

    @Test
    void fixtureFieldsParseAsDocumented() throws IOException {
        ModelProto proto = fixture();
        assertEquals(TrainerSpec.ModelType.BPE, proto.getTrainerSpec().getModelType());
        assertEquals(4000, proto.getPiecesCount());
        assertEquals("<unk>", proto.getPieces(0).getPiece());
        assertEquals("<s>", proto.getPieces(1).getPiece());
        assertEquals("</s>", proto.getPieces(2).getPiece());
        assertEquals("nmt_nfkc", proto.getNormalizerSpec().getName());
        assertTrue(proto.getNormalizerSpec().getAddDummyPrefix());
        assertTrue(proto.getNormalizerSpec().getRemoveExtraWhitespaces());
        assertTrue(proto.getNormalizerSpec().getEscapeWhitespaces());
        assertEquals(0.995f, proto.getTrainerSpec().getCharacterCoverage(), 1e-6);
        assertEquals(-1, proto.getTrainerSpec().getPadId());
        assertTrue(proto.getUnknownFields().asMap().isEmpty(), "every field of the file is in our .proto");
        assertTrue(proto.getTrainerSpec().getUnknownFields().asMap().isEmpty(), "trainer_spec fields known");
        assertTrue(proto.getNormalizerSpec().getUnknownFields().asMap().isEmpty(), "normalizer_spec fields known");
    }

    @Test
    void unsupportedModelsAreRejectedWithTheReason() throws IOException {
        ModelProto proto = fixture();
        byte[] byteFallback = proto.toBuilder()
                .setTrainerSpec(proto.getTrainerSpec().toBuilder().setByteFallback(true)).build().toByteArray();
        IOException e1 = assertThrows(IOException.class, () -> SentencePieceModel.parse(byteFallback, "x.model"));
        assertTrue(e1.getMessage().contains("x.model") && e1.getMessage().contains("byte_fallback"), e1.getMessage());

        byte[] word = proto.toBuilder().setTrainerSpec(proto.getTrainerSpec().toBuilder()
                .setModelType(TrainerSpec.ModelType.WORD)).build().toByteArray();
        IOException e2 = assertThrows(IOException.class, () -> SentencePieceModel.parse(word, "w.model"));
        assertTrue(e2.getMessage().contains("WORD"), e2.getMessage());

        byte[] noUnk = proto.toBuilder().removePieces(0).build().toByteArray();
        IOException e3 = assertThrows(IOException.class, () -> SentencePieceModel.parse(noUnk, "u.model"));
        assertTrue(e3.getMessage().contains("UNKNOWN"), e3.getMessage());

        byte[] brokenMap = proto.toBuilder().setNormalizerSpec(proto.getNormalizerSpec().toBuilder()
                .setPrecompiledCharsmap(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 0, 0, 0})))
                .build().toByteArray();
        IOException e4 = assertThrows(IOException.class, () -> SentencePieceModel.parse(brokenMap, "n.model"));
        assertTrue(e4.getMessage().contains("precompiled_charsmap"), e4.getMessage());
    }

    @Test
    void notAModelFile() {
        IOException e = assertThrows(IOException.class,
                () -> SentencePieceModel.parse("hello, I am text".getBytes(), "t.model"));
        assertTrue(e.getMessage().contains("t.model") && e.getMessage().contains("not a SentencePiece model"),
                e.getMessage());
        assertThrows(NoSuchFileException.class,
                () -> SentencePieceModel.load(Fixtures.modelDir().resolve("missing.model")));
    }
}
