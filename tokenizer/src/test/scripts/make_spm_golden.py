#!/usr/bin/env python3
"""Regenerates the SentencePiece golden files that SentencePieceGoldenTest checks.

Needs Debian's SentencePiece command-line tools (`apt-get install -y sentencepiece`: spm_encode and
spm_train 0.1.97, the version the Hugging Face reference fixtures were made with). Run from the
repository root:

    python3 tokenizer/src/test/scripts/make_spm_golden.py

It writes, under tokenizer/src/test/resources/spm/:
  * golden-m2m100-tiny.jsonl  -- a few thousand generated strings encoded with
    testdata/m2m100-tiny/sentencepiece.bpe.model (BPE, nmt_nfkc): one JSON object per line,
    {"text": ..., "pieces": [...], "ids": [...], "decoded": ...} exactly as spm_encode prints them
    (and spm_decode gives the pieces back as text);
  * golden-decode-m2m100-tiny.jsonl -- random piece sequences and spm_decode's text for them;
  * unigram-test.model and golden-unigram.jsonl -- a small UNIGRAM model (nmt_nfkc, with
    user-defined symbols) trained here by spm_train on the same strings, and its encodings;
  * bpe-user-symbols.model and golden-bpe-user-symbols.jsonl -- a small BPE model with
    user-defined symbols, and its encodings.
The strings come from a fixed seed, so a rerun reproduces golden-m2m100-tiny.jsonl byte for byte;
spm_train may write slightly different model files from run to run, which is fine because each
golden file is regenerated together with its model. Commit all six files together.
"""
import json
import os
import random
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
OUT = os.path.join(ROOT, "tokenizer", "src", "test", "resources", "spm")
FIXTURE = os.path.join(ROOT, "testdata", "m2m100-tiny")
USER_SYMBOLS = ["<sep>", "[MASK]", "▁▁", "ab", "@@"]

# Code point ranges to draw random characters from: scripts of the corpus, NFKC-sensitive blocks
# (full/half width, compatibility jamo, CJK compatibility, ligatures, presentation forms, enclosed
# and letterlike symbols, super/subscripts, number forms), combining marks, exotic whitespace and
# invisible characters, controls, emoji, math letters, private use.
RANGES = [
    (0x20, 0x7E), (0xA0, 0xFF), (0x100, 0x17F), (0x180, 0x24F), (0x250, 0x2AF), (0x2B0, 0x2FF),
    (0x300, 0x36F), (0x370, 0x3FF), (0x400, 0x4FF), (0x590, 0x5FF), (0x600, 0x6FF), (0x900, 0x97F),
    (0xE00, 0xE7F), (0x1100, 0x11FF), (0x1E00, 0x1EFF), (0x2000, 0x206F), (0x2070, 0x209F),
    (0x20A0, 0x20CF), (0x2100, 0x214F), (0x2150, 0x218F), (0x2460, 0x24FF), (0x2500, 0x257F),
    (0x2600, 0x26FF), (0x3000, 0x303F), (0x3040, 0x309F), (0x30A0, 0x30FF), (0x3130, 0x318F),
    (0x3200, 0x32FF), (0x3300, 0x33FF), (0x4E00, 0x4FFF), (0xAC00, 0xAD00), (0xE000, 0xE0FF),
    (0xF900, 0xFAFF), (0xFB00, 0xFB4F), (0xFB50, 0xFDFF), (0xFE10, 0xFE1F), (0xFE30, 0xFE4F),
    (0xFE50, 0xFE6F), (0xFE70, 0xFEFF), (0xFF00, 0xFFEF), (0x1D400, 0x1D7FF), (0x1F300, 0x1F6FF),
    (0x1F900, 0x1F9FF), (0x20000, 0x200FF),
]
SPACES = [" ", " ", " ", "  ", "\t", "\u00a0", "\u3000", "\u2002", "\u2009", "\u200b", "\u00ad",
          "\ufeff", "\u000b", "\u000c", "\u2028", "\u0085"]


def reference_texts():
    texts = []
    with open(os.path.join(FIXTURE, "reference", "tokenizer.json"), encoding="utf-8") as f:
        for case in json.load(f)["cases"]:
            texts.append(case["text"])
    with open(os.path.join(FIXTURE, "reference", "model.json"), encoding="utf-8") as f:
        for case in json.load(f)["cases"]:
            texts.extend(case["texts"])
    return [t for t in texts if "\n" not in t and "\r" not in t]


def random_char(rng):
    lo, hi = rng.choice(RANGES)
    while True:
        c = chr(rng.randint(lo, hi))
        if c not in "\n\r\x00" and not (0xD800 <= ord(c) <= 0xDFFF):
            return c


def clean(s):
    # spm_encode reads lines: no line breaks inside a string.
    return s.replace("\n", " ").replace("\r", " ")


def generate(rng, count):
    refs = reference_texts()
    words = [w for t in refs for w in t.split()]
    out = ["", " ", "   ", "\t", "\u3000", "a", "▁", "▁▁a▁", "<s>", "</s>", "<unk>", "__fr__"]
    out += refs
    while len(out) < count:
        kind = rng.randrange(8)
        if kind == 0:  # shuffled words from the reference texts
            s = " ".join(rng.choice(words) for _ in range(rng.randint(1, 12)))
        elif kind == 1:  # random characters
            s = "".join(random_char(rng) for _ in range(rng.randint(1, 30)))
        elif kind == 2:  # words glued with odd whitespace runs
            s = "".join(rng.choice(words) + "".join(rng.choice(SPACES) for _ in range(rng.randint(0, 4)))
                        for _ in range(rng.randint(1, 6)))
            if rng.random() < 0.5:
                s = "".join(rng.choice(SPACES) for _ in range(rng.randint(1, 3))) + s
        elif kind == 3:  # long words
            base = rng.choice(words) if rng.random() < 0.5 else "".join(
                chr(rng.randint(0x61, 0x7A)) for _ in range(rng.randint(3, 8)))
            s = (base * rng.randint(5, 40))[: rng.randint(40, 400)]
        elif kind == 4:  # combining sequences: base letters followed by 1-3 combining marks
            s = "".join(chr(rng.randint(0x41, 0x7A)) + "".join(chr(rng.randint(0x300, 0x36F))
                        for _ in range(rng.randint(0, 3))) for _ in range(rng.randint(1, 12)))
        elif kind == 5:  # a reference sentence with random characters spliced in
            t = list(rng.choice(refs) or "x")
            for _ in range(rng.randint(1, 5)):
                t.insert(rng.randint(0, len(t)), random_char(rng))
            s = "".join(t)
        elif kind == 6:  # full-width / compatibility-heavy text
            s = "".join(chr(rng.choice([rng.randint(0xFF01, 0xFF5E), rng.randint(0xFF61, 0xFF9F),
                                        rng.randint(0x3131, 0x318E), rng.randint(0x3300, 0x33FF),
                                        rng.randint(0x2460, 0x24FF), rng.randint(0xFB00, 0xFB06),
                                        rng.randint(0x2160, 0x217F), ord(" ")]))
                        for _ in range(rng.randint(1, 25)))
        else:  # mixtures of everything
            parts = [rng.choice(words), random_char(rng), rng.choice(SPACES), rng.choice(USER_SYMBOLS)]
            s = "".join(rng.choice(parts) for _ in range(rng.randint(1, 20)))
        out.append(clean(s))
    return out


def spm_encode(model, lines, fmt):
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", newline="\n", delete=False) as f:
        for line in lines:
            f.write(line + "\n")
        name = f.name
    try:
        res = subprocess.run(["spm_encode", "--model", model, "--output_format", fmt, "--input", name],
                             check=True, capture_output=True)
    finally:
        os.unlink(name)
    out = res.stdout.decode("utf-8").split("\n")
    assert out[-1] == "", "spm_encode output does not end with a newline"
    out = out[:-1]
    assert len(out) == len(lines), f"spm_encode gave {len(out)} lines for {len(lines)} inputs"
    return out


def spm_decode(model, piece_lines):
    data = "".join(line + "\n" for line in piece_lines).encode("utf-8")
    res = subprocess.run(["spm_decode", "--model", model, "--input_format", "piece"], input=data,
                         check=True, capture_output=True)
    out = res.stdout.decode("utf-8").split("\n")[:-1]
    assert len(out) == len(piece_lines), f"spm_decode gave {len(out)} lines for {len(piece_lines)} inputs"
    return out


def write_golden(model, lines, path):
    pieces = spm_encode(model, lines, "piece")
    ids = spm_encode(model, lines, "id")
    decoded = spm_decode(model, pieces)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for text, p, i, d in zip(lines, pieces, ids, decoded):
            obj = {"text": text, "pieces": p.split(" ") if p else [], "ids": [int(x) for x in i.split()],
                   "decoded": d}
            assert len(obj["pieces"]) == len(obj["ids"]), text
            f.write(json.dumps(obj, ensure_ascii=False) + "\n")
    print(f"wrote {path}: {len(lines)} lines")


def write_decode_golden(model, rng, count, path):
    """Random piece sequences (any vocabulary piece, control and unknown ones included) and spm_decode's text."""
    res = subprocess.run(["spm_export_vocab", "--model", model], check=True, capture_output=True)
    vocab = [line.split("\t")[0] for line in res.stdout.decode("utf-8").split("\n") if line]
    common = [p for p in vocab if p.startswith("\u2581")] + ["\u2581"] * 20 + ["<unk>", "<s>", "</s>", "\U0001f36b"]
    seqs = []
    for _ in range(count):
        n = rng.randint(0, 12)
        seqs.append([rng.choice(common if rng.random() < 0.5 else vocab) for _ in range(n)])
    decoded = spm_decode(model, [" ".join(s) for s in seqs])
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for s, d in zip(seqs, decoded):
            f.write(json.dumps({"pieces": s, "decoded": d}, ensure_ascii=False) + "\n")
    print(f"wrote {path}: {count} lines")


def train(lines, prefix, model_type, vocab_size):
    # Train on the strings made of reference-text characters only, so the alphabet stays small and
    # the random characters of the other strings are unknown to the model.
    alphabet = set("".join(reference_texts())) | set(" abcdefghijklmnopqrstuvwxyz")
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", newline="\n", delete=False) as f:
        for line in lines:
            if line.strip() and set(line) <= alphabet:
                f.write(line + "\n")
        corpus = f.name
    try:
        res = subprocess.run(["spm_train", f"--input={corpus}", f"--model_prefix={prefix}",
                        f"--model_type={model_type}", f"--vocab_size={vocab_size}",
                        "--character_coverage=0.98", "--seed_sentencepiece_size=20000",
                        "--num_threads=1", "--user_defined_symbols=" + ",".join(USER_SYMBOLS),
                        "--hard_vocab_limit=false", "--minloglevel=2"], capture_output=True)
        if res.returncode != 0:
            raise SystemExit("spm_train failed:\n" + res.stderr.decode("utf-8", "replace")[-2000:])
    finally:
        os.unlink(corpus)
    os.unlink(prefix + ".vocab")
    return prefix + ".model"


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = random.Random(20261125)
    lines = generate(rng, 3000)
    write_golden(os.path.join(FIXTURE, "sentencepiece.bpe.model"), lines,
                 os.path.join(OUT, "golden-m2m100-tiny.jsonl"))
    write_decode_golden(os.path.join(FIXTURE, "sentencepiece.bpe.model"), rng, 1000,
                        os.path.join(OUT, "golden-decode-m2m100-tiny.jsonl"))
    small = lines[:1500]
    uni = train(lines, os.path.join(OUT, "unigram-test"), "unigram", 1000)
    write_golden(uni, small, os.path.join(OUT, "golden-unigram.jsonl"))
    bpe = train(lines, os.path.join(OUT, "bpe-user-symbols"), "bpe", 1000)
    write_golden(bpe, small, os.path.join(OUT, "golden-bpe-user-symbols.jsonl"))


if __name__ == "__main__":
    sys.exit(main())
