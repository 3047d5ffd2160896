package dev.m2m100.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.m2m100.tokenizer.sentencepiece.SentencePieceModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The NLLB-200 tokenizer of Hugging Face transformers (slow {@code NllbTokenizer}, 4.43, non-legacy behaviour),
 * token for token. The vocabulary is the SentencePiece model itself, shifted by the fairseq offset 1:
 * {@code <s> <pad> </s> <unk>} are 0–3, SentencePiece piece {@code i ≥ 3} is id {@code i + 1} (anything
 * SentencePiece calls unknown is {@code <unk>}, 3), then the language codes ({@code eng_Latn}, …), then
 * {@code <mask>}. Encoder input is {@code [src_lang] + pieces + [</s>]}. Special tokens written in the text are
 * cut out before SentencePiece (longest match, anywhere; {@code <mask>} also eats the whitespace on its left).
 * Decoding joins pieces and turns {@code ▁} into spaces (not SentencePiece's decode). Immutable and thread-safe.
 */
public final class NllbTokenizer implements Tokenizer {

    public static final String SPM_FILE = "sentencepiece.bpe.model";
    public static final String CONFIG_FILE = "tokenizer_config.json";
    public static final String SPECIAL_TOKENS_FILE = "special_tokens_map.json";
    /** The fast tokenizer's file; only its {@code added_tokens} (the pinned ids) are read. */
    public static final String FAST_TOKENIZER_FILE = "tokenizer.json";

    static final int FAIRSEQ_OFFSET = 1;
    static final int BOS = 0;
    static final int PAD = 1;
    static final int EOS = 2;
    static final int UNK = 3;
    private static final List<String> FIXED = List.of("<s>", "<pad>", "</s>", "<unk>");
    private static final String MASK = "<mask>";

    private final SentencePieceModel spm;
    private final Map<String, Integer> addedTokens;        // content -> id: the 4 fixed, the codes, <mask>
    private final Map<Integer, String> addedTokenOfId;
    private final Set<String> lstripTokens;                 // tokens that eat the whitespace on their left
    private final Set<String> rstripTokens;                 // ... and on their right
    private final Map<String, Integer> codeToId;            // language codes in id order
    private final Map<Integer, String> idToCode;
    private final Set<Integer> specialIds;
    private final SpecialTokenSplitter splitter;
    private final boolean cleanUpSpaces;
    private final int size;

    private NllbTokenizer(SentencePieceModel spm, List<AddedToken> added, Set<String> codes, boolean cleanUpSpaces) {
        this.spm = spm;
        this.cleanUpSpaces = cleanUpSpaces;
        Map<String, Integer> byContent = new LinkedHashMap<>();
        Map<Integer, String> byId = new HashMap<>();
        Set<String> lstrip = new HashSet<>();
        Set<String> rstrip = new HashSet<>();
        for (AddedToken t : added) {
            byContent.put(t.content(), t.id());
            byId.put(t.id(), t.content());
            if (t.lstrip()) {
                lstrip.add(t.content());
            }
            if (t.rstrip()) {
                rstrip.add(t.content());
            }
        }
        addedTokens = Collections.unmodifiableMap(byContent);
        addedTokenOfId = Map.copyOf(byId);
        lstripTokens = Set.copyOf(lstrip);
        rstripTokens = Set.copyOf(rstrip);
        Map<Integer, String> sortedCodes = new TreeMap<>();
        for (String code : codes) {
            sortedCodes.put(byContent.get(code), code);
        }
        Map<String, Integer> c2i = new LinkedHashMap<>();
        sortedCodes.forEach((id, code) -> c2i.put(code, id));
        codeToId = Collections.unmodifiableMap(c2i);
        idToCode = Map.copyOf(sortedCodes);
        // all_special_ids: bos, eos, unk, sep, pad, cls, mask and the additional special tokens (the codes).
        Set<Integer> special = new HashSet<>(idToCode.keySet());
        special.addAll(List.of(BOS, PAD, EOS, UNK));
        Integer mask = byContent.get(MASK);
        if (mask != null) {
            special.add(mask);
        }
        specialIds = Set.copyOf(special);
        splitter = new SpecialTokenSplitter(addedTokens.keySet());
        int top = spm.size() + FAIRSEQ_OFFSET;
        for (int id : byId.keySet()) {
            top = Math.max(top, id + 1);
        }
        size = top;
    }

    /**
     * Loads a Hugging Face NLLB tokenizer folder: {@value #SPM_FILE} and {@value #CONFIG_FILE}, with
     * {@value #SPECIAL_TOKENS_FILE} and {@value #FAST_TOKENIZER_FILE} when present. The ids of the language codes
     * and {@code <mask>} come from {@code added_tokens_decoder} in {@value #CONFIG_FILE}, else from the
     * {@code added_tokens} of {@value #FAST_TOKENIZER_FILE}, else (as the real checkpoints lay them out) right
     * after the SentencePiece vocabulary in fairseq order, {@code <mask>} last.
     */
    public static NllbTokenizer load(Path modelDir) throws IOException {
        TokenizerFiles.requireDirectory(modelDir);
        Path spmPath = TokenizerFiles.requireFile(modelDir, SPM_FILE);
        Path configPath = TokenizerFiles.requireFile(modelDir, CONFIG_FILE);
        ObjectMapper json = new ObjectMapper();
        JsonNode config = TokenizerFiles.readJsonObject(json, configPath);
        Path specialPath = modelDir.resolve(SPECIAL_TOKENS_FILE);
        JsonNode specialMap = Files.isRegularFile(specialPath) ? TokenizerFiles.readJsonObject(json, specialPath)
                : json.createObjectNode();
        if (config.path("legacy_behaviour").asBoolean(false)) {
            throw new IOException(configPath + ": legacy_behaviour true (language code after </s>) is not supported");
        }
        JsonNode cleanUp = config.get("clean_up_tokenization_spaces");
        boolean cleanUpSpaces = cleanUp == null || cleanUp.isNull() || cleanUp.asBoolean(true);
        SentencePieceModel spm = SentencePieceModel.load(spmPath);

        List<String> codes = languageCodes(specialMap.has("additional_special_tokens") ? specialMap : config,
                specialMap.has("additional_special_tokens") ? specialPath : configPath);
        List<AddedToken> added;
        if (config.has("added_tokens_decoder")) {
            added = AddedToken.fromDecoder(config.get("added_tokens_decoder"), configPath);
        } else if (Files.isRegularFile(modelDir.resolve(FAST_TOKENIZER_FILE))) {
            Path fast = modelDir.resolve(FAST_TOKENIZER_FILE);
            added = AddedToken.fromFastTokenizer(TokenizerFiles.readJsonObject(json, fast).get("added_tokens"), fast);
        } else {
            added = fairseqLayout(spm.size(), codes);
        }
        Map<String, AddedToken> byContent = new HashMap<>();
        added.forEach(t -> byContent.put(t.content(), t));
        for (int i = 0; i < FIXED.size(); i++) {
            AddedToken t = byContent.get(FIXED.get(i));
            if (t == null || t.id() != i) {
                throw new IOException(modelDir + ": NLLB pins " + FIXED.get(i) + " at id " + i + ", the tokenizer files say "
                        + (t == null ? "nothing" : "id " + t.id()));
            }
        }
        for (String code : codes) {
            if (!byContent.containsKey(code)) {
                throw new IOException(modelDir + ": language code '" + code + "' has no id in the tokenizer files");
            }
        }
        for (AddedToken t : added) {
            if (t.id() > 3 && t.id() <= spm.size()) {
                throw new IOException(modelDir + ": added token '" + t.content() + "' has id " + t.id()
                        + ", inside the SentencePiece vocabulary (1.." + spm.size() + ")");
            }
        }
        return new NllbTokenizer(spm, added, new LinkedHashSet<>(codes), cleanUpSpaces);
    }

    /** The layout NllbTokenizer builds itself: specials 0–3, codes after the pieces, then {@code <mask>}. */
    private static List<AddedToken> fairseqLayout(int spmSize, List<String> codes) {
        List<AddedToken> out = new ArrayList<>();
        for (int i = 0; i < FIXED.size(); i++) {
            out.add(new AddedToken(i, FIXED.get(i), false, false));
        }
        int next = spmSize + FAIRSEQ_OFFSET;
        for (String code : codes) {
            out.add(new AddedToken(next++, code, false, false));
        }
        out.add(new AddedToken(next, MASK, true, false));
        return out;
    }

    // ---------------------------------------------------------------- encoding

    /** Encoder input ids: {@code [srcLang] + ids(text) + [</s>]}. */
    @Override
    public int[] encode(String text, String srcLang) {
        Objects.requireNonNull(text, "text");
        int lang = languageId(srcLang);
        IntBuffer ids = new IntBuffer(text.length() / 3 + 4);
        ids.add(lang);
        int spmUnk = spm.unkId();
        for (SpecialTokenSplitter.Part part : parts(text)) {
            if (part.special()) {
                ids.add(addedTokens.get(part.text()));
            } else {
                spm.encode(part.text(), (buf, start, end, id) -> ids.add(id == spmUnk ? UNK : id + FAIRSEQ_OFFSET));
            }
        }
        ids.add(EOS);
        return ids.toArray();
    }

    /** Tokens as {@code tokenizer.tokenize(text)}: pieces, and literal special tokens as themselves. */
    public List<String> tokenize(String text) {
        Objects.requireNonNull(text, "text");
        List<String> out = new ArrayList<>();
        for (SpecialTokenSplitter.Part part : parts(text)) {
            if (part.special()) {
                out.add(part.text());
            } else {
                out.addAll(spm.encodeAsPieces(part.text()));
            }
        }
        return out;
    }

    /**
     * The text cut at special tokens, as the added-token trie of {@code PreTrainedTokenizer.tokenize} does, with
     * the strip flags of a special token applied to the plain text next to it.
     */
    private List<SpecialTokenSplitter.Part> parts(String text) {
        List<SpecialTokenSplitter.Part> parts = splitter.split(text);
        if (lstripTokens.isEmpty() && rstripTokens.isEmpty()) {
            return parts;
        }
        List<SpecialTokenSplitter.Part> out = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            SpecialTokenSplitter.Part p = parts.get(i);
            if (p.special()) {
                out.add(p);
                continue;
            }
            String s = p.text();
            if (i > 0 && rstripTokens.contains(parts.get(i - 1).text())) {
                s = TextCleanup.pythonLstrip(s);
            }
            if (i + 1 < parts.size() && lstripTokens.contains(parts.get(i + 1).text())) {
                s = TextCleanup.pythonRstrip(s);
            }
            out.add(new SpecialTokenSplitter.Part(s, false));
        }
        return out;
    }

    // ---------------------------------------------------------------- decoding

    @Override
    public String decode(int[] ids, boolean skipSpecial) {
        // The language codes are the "legacy added tokens".
        return SlowDecode.decode(ids, skipSpecial, cleanUpSpaces, new SlowDecode.Vocabulary(this::idToTokenString,
                specialIds::contains, codeToId::containsKey, NllbTokenizer::tokensToString));
    }

    /** NllbTokenizer.convert_tokens_to_string: {@code "".join(tokens).replace("▁", " ").strip()}. */
    private static String tokensToString(List<String> tokens) {
        return TextCleanup.pythonStrip(String.join("", tokens).replace('\u2581', ' '));
    }

    /**
     * The token string of an id as {@code convert_ids_to_tokens} gives it. Ids past the tokenizer (the real
     * checkpoints have two unused rows) are {@code <unk>}: transformers would fail on them.
     */
    public String idToTokenString(int id) {
        String added = addedTokenOfId.get(id);
        if (added != null) {
            return added;
        }
        int piece = id - FAIRSEQ_OFFSET;
        return piece >= 0 && piece < spm.size() ? spm.idToPiece(piece) : FIXED.get(UNK);
    }

    // ---------------------------------------------------------------- languages and ids

    /** The id of a language code ({@code eng_Latn}, …). */
    @Override
    public int languageId(String code) {
        Integer id = code == null ? null : codeToId.get(code);
        if (id == null) {
            throw new UnsupportedLanguageException(code, languages());
        }
        return id;
    }

    /** English (FLORES-200) name of one of the codes; the code itself for a code outside the 202. */
    @Override
    public String languageName(String code) {
        languageId(code);
        String name = NllbLanguages.name(code);
        return name == null ? code : name;
    }

    /** The language code of an id, or null. */
    public String languageOfId(int id) {
        return idToCode.get(id);
    }

    /** The language codes in id order. */
    @Override
    public List<String> languages() {
        return List.copyOf(codeToId.keySet());
    }

    public int padId() {
        return PAD;
    }

    public int eosId() {
        return EOS;
    }

    public int unkId() {
        return UNK;
    }

    public int bosId() {
        return BOS;
    }

    /** The id of {@code <mask>}, or -1 when the folder has none. */
    public int maskId() {
        return addedTokens.getOrDefault(MASK, -1);
    }

    /** {@code len(tokenizer)}: SentencePiece pieces + 1, the codes and {@code <mask>}. */
    @Override
    public int size() {
        return size;
    }

    /** The underlying SentencePiece model. */
    public SentencePieceModel sentencePiece() {
        return spm;
    }

    // ---------------------------------------------------------------- loading helpers

    private static List<String> languageCodes(JsonNode node, Path p) throws IOException {
        JsonNode list = node.get("additional_special_tokens");
        if (list == null || list.isNull()) {
            return NllbLanguages.CODES;
        }
        if (!list.isArray()) {
            throw new IOException(p + ": additional_special_tokens is not a list");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode t : list) {
            String c = TokenizerFiles.content(t, "additional_special_tokens", p);
            if (!out.contains(c) && !FIXED.contains(c) && !MASK.equals(c)) {
                out.add(c);
            }
        }
        return List.copyOf(out);
    }

    /** One added token with the flags the splitter needs. */
    private record AddedToken(int id, String content, boolean lstrip, boolean rstrip) {

        /** {@code "added_tokens_decoder": {"0": {"content": "<s>", "lstrip": false, …}, …}}. */
        static List<AddedToken> fromDecoder(JsonNode decoder, Path p) throws IOException {
            if (!decoder.isObject()) {
                throw new IOException(p + ": added_tokens_decoder is not an object");
            }
            List<AddedToken> out = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : decoder.properties()) {
                int id;
                try {
                    id = Integer.parseInt(e.getKey());
                } catch (NumberFormatException ex) {
                    throw new IOException(p + ": added_tokens_decoder key '" + e.getKey() + "' is not an id");
                }
                out.add(of(id, e.getValue(), p));
            }
            return out;
        }

        /** {@code "added_tokens": [{"id": 0, "content": "<s>", …}, …]} of tokenizer.json. */
        static List<AddedToken> fromFastTokenizer(JsonNode list, Path p) throws IOException {
            if (list == null || !list.isArray()) {
                throw new IOException(p + ": added_tokens is missing or not a list");
            }
            List<AddedToken> out = new ArrayList<>();
            for (JsonNode t : list) {
                if (!t.path("id").canConvertToInt()) {
                    throw new IOException(p + ": added token without an integer id: " + t);
                }
                out.add(of(t.get("id").intValue(), t, p));
            }
            return out;
        }

        private static AddedToken of(int id, JsonNode t, Path p) throws IOException {
            return new AddedToken(id, TokenizerFiles.content(t, "added token " + id, p), t.path("lstrip").asBoolean(false),
                    t.path("rstrip").asBoolean(false));
        }

    }
}
