package dev.m2m100.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.m2m100.tokenizer.sentencepiece.SentencePieceModel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The M2M100 tokenizer of Hugging Face transformers (slow {@code M2M100Tokenizer}, as of 4.43), token
 * for token: SentencePiece pieces mapped to ids through {@code vocab.json}, 100 language tokens after
 * the vocabulary, literal special tokens in the text matched before SentencePiece runs, and the
 * slow-tokenizer decode rules. Immutable and thread-safe.
 */
public final class M2M100Tokenizer implements Tokenizer {

    public static final String SPM_FILE = "sentencepiece.bpe.model";
    public static final String VOCAB_FILE = "vocab.json";
    public static final String CONFIG_FILE = "tokenizer_config.json";
    public static final String SPECIAL_TOKENS_FILE = "special_tokens_map.json";

    private final SentencePieceModel spm;
    private final Map<String, Integer> vocab;           // vocab.json
    private final String[] vocabPieces;                  // id -> piece for ids < vocab size
    private final int[] spmIdToId;                       // SentencePiece id -> model id (by piece string)
    private final Map<String, Integer> langTokenToId;
    private final Map<Integer, String> idToLangCode;
    private final Map<String, Integer> addedTokens;      // special tokens matched literally in text
    private final Map<Integer, String> addedTokenOfId;
    private final Set<Integer> specialIds;
    private final Set<String> specialTokens;
    private final Set<String> legacyAddedTokens;         // decode boundaries: language tokens
    private final SpecialTokenSplitter splitter;
    private final boolean cleanUpSpaces;
    private final String unkToken;
    private final int bosId;
    private final int eosId;
    private final int padId;
    private final int unkId;

    private M2M100Tokenizer(SentencePieceModel spm, Map<String, Integer> vocab, SpecialTokens special,
                            boolean cleanUpSpaces, Path dir) throws IOException {
        this.spm = spm;
        this.vocab = vocab;
        this.cleanUpSpaces = cleanUpSpaces;
        int vocabSize = vocab.size();
        vocabPieces = new String[vocabSize];
        vocab.forEach((piece, id) -> vocabPieces[id] = piece);

        langTokenToId = new LinkedHashMap<>();
        idToLangCode = new HashMap<>();
        for (int i = 0; i < Languages.CODES.size(); i++) {
            String code = Languages.CODES.get(i);
            langTokenToId.put(Languages.token(code), vocabSize + i);
            idToLangCode.put(vocabSize + i, code);
        }

        unkToken = special.unk;
        bosId = requireInVocab(special.bos, "bos_token", dir);
        eosId = requireInVocab(special.eos, "eos_token", dir);
        padId = requireInVocab(special.pad, "pad_token", dir);
        unkId = requireInVocab(special.unk, "unk_token", dir);
        int sepId = requireInVocab(special.sep, "sep_token", dir);

        // Special tokens are "added tokens": matched literally in input text, skipped by decode.
        addedTokens = new LinkedHashMap<>();
        addedTokens.put(special.bos, bosId);
        addedTokens.put(special.eos, eosId);
        addedTokens.put(special.unk, unkId);
        addedTokens.put(special.sep, sepId);
        addedTokens.put(special.pad, padId);
        legacyAddedTokens = new HashSet<>();
        for (String t : special.additional) {
            Integer id = langTokenToId.get(t);
            if (id == null) {
                id = vocab.get(t);
            }
            if (id == null) {
                throw new IOException(dir.resolve(SPECIAL_TOKENS_FILE) + ": additional special token '" + t
                        + "' is neither a language token nor in " + VOCAB_FILE);
            }
            addedTokens.put(t, id);
            if (id >= vocabSize) {
                legacyAddedTokens.add(t);
            }
        }
        addedTokenOfId = new HashMap<>();
        addedTokens.forEach((t, id) -> addedTokenOfId.putIfAbsent(id, t));
        specialTokens = Set.copyOf(addedTokens.keySet());
        specialIds = Set.copyOf(addedTokens.values());
        splitter = new SpecialTokenSplitter(addedTokens.keySet());

        spmIdToId = new int[spm.size()];
        for (int i = 0; i < spmIdToId.length; i++) {
            spmIdToId[i] = pieceToId(spm.idToPiece(i));
        }
    }

    /**
     * Loads a Hugging Face M2M100 tokenizer folder: {@value #SPM_FILE}, {@value #VOCAB_FILE},
     * {@value #CONFIG_FILE} and {@value #SPECIAL_TOKENS_FILE}.
     */
    public static M2M100Tokenizer load(Path modelDir) throws IOException {
        TokenizerFiles.requireDirectory(modelDir);
        Path spmPath = TokenizerFiles.requireFile(modelDir, SPM_FILE);
        Path vocabPath = TokenizerFiles.requireFile(modelDir, VOCAB_FILE);
        Path configPath = TokenizerFiles.requireFile(modelDir, CONFIG_FILE);
        Path specialPath = TokenizerFiles.requireFile(modelDir, SPECIAL_TOKENS_FILE);
        ObjectMapper json = new ObjectMapper();
        JsonNode config = TokenizerFiles.readJsonObject(json, configPath);
        JsonNode specialMap = TokenizerFiles.readJsonObject(json, specialPath);

        JsonNode codes = config.get("language_codes");
        if (codes != null && !codes.isNull() && !"m2m100".equals(codes.asText())) {
            throw new IOException(configPath + ": language_codes '" + codes.asText()
                    + "' is not supported (only 'm2m100')");
        }
        JsonNode cleanUp = config.get("clean_up_tokenization_spaces");
        boolean cleanUpSpaces = cleanUp == null || cleanUp.isNull() || cleanUp.asBoolean(true);
        SpecialTokens special = SpecialTokens.read(config, specialMap, configPath, specialPath);
        Map<String, Integer> vocab = readVocab(json, vocabPath);
        SentencePieceModel spm = SentencePieceModel.load(spmPath);
        return new M2M100Tokenizer(spm, vocab, special, cleanUpSpaces, modelDir);
    }

    // ---------------------------------------------------------------- encoding

    /** Encoder input ids: {@code [__srcLang__] + ids(text) + [</s>]}. */
    @Override
    public int[] encode(String text, String srcLang) {
        java.util.Objects.requireNonNull(text, "text");
        int lang = languageId(srcLang);
        IntBuffer ids = new IntBuffer(text.length() / 3 + 4);
        ids.add(lang);
        appendIds(text, ids);
        ids.add(eosId);
        return ids.toArray();
    }

    /** Ids of the text alone, without language token or {@code </s>}. */
    public int[] encodeTextOnly(String text) {
        java.util.Objects.requireNonNull(text, "text");
        IntBuffer ids = new IntBuffer(text.length() / 3 + 2);
        appendIds(text, ids);
        return ids.toArray();
    }

    /** Tokens as {@code tokenizer.tokenize(text)}: pieces, and literal special tokens as themselves. */
    public List<String> tokenize(String text) {
        java.util.Objects.requireNonNull(text, "text");
        List<String> out = new ArrayList<>();
        for (SpecialTokenSplitter.Part part : splitter.split(text)) {
            if (part.special()) {
                out.add(part.text());
            } else {
                out.addAll(spm.encodeAsPieces(part.text()));
            }
        }
        return out;
    }

    /** Encodes each text and right-pads the rows with {@code <pad>} to the longest one. */
    public BatchEncoding encodeBatch(List<String> texts, String srcLang) {
        languageId(srcLang);  // fail fast, even for an empty batch
        int[][] rows = new int[texts.size()][];
        int longest = 0;
        for (int i = 0; i < rows.length; i++) {
            rows[i] = encode(texts.get(i), srcLang);
            longest = Math.max(longest, rows[i].length);
        }
        int[][] ids = new int[rows.length][longest];
        int[][] mask = new int[rows.length][longest];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, ids[i], 0, rows[i].length);
            Arrays.fill(ids[i], rows[i].length, longest, padId);
            Arrays.fill(mask[i], 0, rows[i].length, 1);
        }
        return new BatchEncoding(ids, mask);
    }

    private void appendIds(String text, IntBuffer ids) {
        int spmUnk = spm.unkId();
        for (SpecialTokenSplitter.Part part : splitter.split(text)) {
            if (part.special()) {
                ids.add(addedTokens.get(part.text()));
                continue;
            }
            spm.encode(part.text(), (buf, start, end, id) -> {
                if (id == spmUnk) {
                    // An unknown piece is its own text, looked up like any other token (usually <unk>).
                    ids.add(pieceToId(new String(buf, start, end - start, StandardCharsets.UTF_8)));
                } else {
                    ids.add(spmIdToId[id]);
                }
            });
        }
    }

    /** {@code _convert_token_to_id}: language tokens, then vocab.json, else {@code <unk>}. */
    private int pieceToId(String piece) {
        Integer lang = langTokenToId.get(piece);
        if (lang != null) {
            return lang;
        }
        return vocab.getOrDefault(piece, unkId);
    }

    // ---------------------------------------------------------------- decoding

    @Override
    public String decode(int[] ids, boolean skipSpecial) {
        // Note: transformers 4.43 also tests `token in all_special_ids` in its loop, comparing a string with ints,
        // so it never skips anything: an id outside the vocabulary decodes as a literal "<unk>".
        return SlowDecode.decode(ids, skipSpecial, cleanUpSpaces, new SlowDecode.Vocabulary(this::idToToken,
                specialIds::contains, legacyAddedTokens::contains, this::tokensToString));
    }

    /** {@code convert_ids_to_tokens} for one id. */
    private String idToToken(int id) {
        String added = addedTokenOfId.get(id);
        if (added != null) {
            return added;
        }
        String lang = idToLangCode.get(id);
        if (lang != null) {
            return Languages.token(lang);
        }
        return id >= 0 && id < vocabPieces.length ? vocabPieces[id] : unkToken;
    }

    /** {@code M2M100Tokenizer.convert_tokens_to_string}: special tokens verbatim, the rest through SentencePiece. */
    private String tokensToString(List<String> tokens) {
        StringBuilder out = new StringBuilder();
        List<String> run = new ArrayList<>();
        for (String t : tokens) {
            if (specialTokens.contains(t)) {
                out.append(spm.decodePieces(run)).append(t);
                run.clear();
            } else {
                run.add(t);
            }
        }
        out.append(spm.decodePieces(run));
        return TextCleanup.pythonStrip(out.toString());
    }

    // ---------------------------------------------------------------- languages and ids

    /** The id of the language token {@code __code__}. */
    @Override
    public int languageId(String code) {
        Integer id = code == null ? null : langTokenToId.get(Languages.token(code));
        if (id == null) {
            throw new UnsupportedLanguageException(code, Languages.CODES);
        }
        return id;
    }

    /** The language code of a language-token id, or null. */
    public String languageOfId(int id) {
        return idToLangCode.get(id);
    }

    /** The 100 language codes in official order. */
    @Override
    public List<String> languages() {
        return Languages.CODES;
    }

    /** English name of a language code (e.g. "ja" → "Japanese"). */
    @Override
    public String languageName(String code) {
        String name = Languages.name(code);
        if (name == null) {
            throw new UnsupportedLanguageException(code, Languages.CODES);
        }
        return name;
    }

    public int padId() {
        return padId;
    }

    public int eosId() {
        return eosId;
    }

    public int unkId() {
        return unkId;
    }

    public int bosId() {
        return bosId;
    }

    /** {@code len(tokenizer)}: vocab.json entries plus the 100 language tokens. */
    @Override
    public int size() {
        return vocab.size() + Languages.CODES.size();
    }

    /** The token string of an id as {@code convert_ids_to_tokens} gives it. */
    public String idToTokenString(int id) {
        return idToToken(id);
    }

    /** The underlying SentencePiece model. */
    public SentencePieceModel sentencePiece() {
        return spm;
    }

    // ---------------------------------------------------------------- loading helpers

    private int requireInVocab(String token, String field, Path dir) throws IOException {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new IOException(dir.resolve(VOCAB_FILE) + ": " + field + " '" + token + "' is not in the vocabulary");
        }
        return id;
    }

    private static Map<String, Integer> readVocab(ObjectMapper json, Path p) throws IOException {
        JsonNode root = TokenizerFiles.readJsonObject(json, p);
        Map<String, Integer> vocab = new LinkedHashMap<>();
        Set<Integer> seen = new HashSet<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            JsonNode v = e.getValue();
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw new IOException(p + ": id of '" + e.getKey() + "' is not an integer: " + v);
            }
            int id = v.intValue();
            if (!seen.add(id)) {
                throw new IOException(p + ": id " + id + " is used twice (again by '" + e.getKey() + "')");
            }
            vocab.put(e.getKey(), id);
        }
        for (int id : seen) {
            if (id < 0 || id >= vocab.size()) {
                throw new IOException(p + ": ids must be 0.." + (vocab.size() - 1) + ", found " + id);
            }
        }
        return vocab;
    }

    /** The special-token strings of tokenizer_config.json, overridden by special_tokens_map.json. */
    private record SpecialTokens(String bos, String eos, String unk, String sep, String pad,
                                 List<String> additional) {

        static SpecialTokens read(JsonNode config, JsonNode map, Path configPath, Path mapPath) throws IOException {
            return new SpecialTokens(
                    token("bos_token", "<s>", config, map, configPath, mapPath),
                    token("eos_token", "</s>", config, map, configPath, mapPath),
                    token("unk_token", "<unk>", config, map, configPath, mapPath),
                    token("sep_token", "</s>", config, map, configPath, mapPath),
                    token("pad_token", "<pad>", config, map, configPath, mapPath),
                    additional(map.has("additional_special_tokens") ? map : config,
                            map.has("additional_special_tokens") ? mapPath : configPath));
        }

        private static String token(String key, String dflt, JsonNode config, JsonNode map,
                                    Path configPath, Path mapPath) throws IOException {
            if (map.hasNonNull(key)) {
                return TokenizerFiles.content(map.get(key), key, mapPath);
            }
            if (config.hasNonNull(key)) {
                return TokenizerFiles.content(config.get(key), key, configPath);
            }
            return dflt;
        }

        private static List<String> additional(JsonNode node, Path p) throws IOException {
            JsonNode list = node.get("additional_special_tokens");
            if (list == null || list.isNull()) {
                return List.of();
            }
            if (!list.isArray()) {
                throw new IOException(p + ": additional_special_tokens is not a list");
            }
            Set<String> out = new LinkedHashSet<>();
            for (JsonNode t : list) {
                out.add(TokenizerFiles.content(t, "additional_special_tokens", p));
            }
            return List.copyOf(out);
        }

    }
}
