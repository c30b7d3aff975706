"""Does a learned name classifier after the rules help on a writer it never saw? Not enough:
it is not part of the redactor.

Each word the rules may leave visible (capitalised, listed as a name, or unknown to the
dictionaries) is labelled a patient's or relative's name when it lies inside a PHI string of the
labelled sets that is a name (no digit, no "@", no spelt-out number or month). A logistic
regression (balanced classes) reads its shape, the name lists and common words it is in, the
three words either side (titles, relations, care and staff cues), name-like neighbours, "LAST,
First" commas and whether the text already holds a patient placeholder. It is trained on raw
texts and on copies where the other names are already placeholders, as the rules leave them
(with --residuals, also on what the rules left visible); after the rules, a visible word above
the threshold becomes "[PATIENT]".

Leave-one-set-out over the 12 adversarial sets (train on the 11 others and phi-dev), scored
with scoring.score, mean over sets of recall / over-redaction, with two rule versions: today's
rules, tuned on every set (recall 1.000 everywhere, so the classifier can only cost), and the
rules of the commit that added the set ("unseen": a fresh writer's situation):

    rules alone        today 1.0000 / 0.0000      unseen 0.9627 / 0.0105
    + classifier 0.5   today 1.0000 / 0.1040      unseen 0.9715 / 0.1136
    + classifier 0.7   today 1.0000 / 0.0523      unseen 0.9658 / 0.0627
    + classifier 0.8   today 1.0000 / 0.0255      unseen 0.9650 / 0.0364
    + classifier 0.9   today 1.0000 / 0.0078      unseen 0.9631 / 0.0183
    --residuals, 0.8   today 1.0000 / 0.0228      unseen 0.9654 / 0.0337
    --residuals, 0.9   today 1.0000 / 0.0074      unseen 0.9631 / 0.0179

Per set with --residuals at 0.8 (unseen rules -> + classifier, recall and over-redaction):
i 0.976/0.016 -> 0.990/0.104, l 0.942/0.030 -> 0.957/0.030, a 0.749/0.046 -> 0.753/0.056,
c, d, e, j lose keep strings (0.029, 0.032, 0.091, 0.029) for no recall; b, f, g, h, k unchanged.
Even a perfect name classifier would lift the unseen recall only to 0.9748 (+0.012): most of
what the older rules missed were spelt-out dates and addresses. Gains of +0.001 to +0.009 in
recall cost +0.007 to +0.10 in over-redaction: the words left visible after the rules are
mostly colleagues ("Mme Benoît, infirmière-chef", "Merci Jocelyne, Réjean"), whose shapes
are the patients' shapes. Trained on every set, at 0.8 it changes 6 of the 8,177 corpus texts
(all wrong: "The trainer in my class, Linda", "Patiente, claire") and at 0.9 none; it costs
about a quarter of the redactor's time (corpus: 4,318 -> 3,419 texts/s, under 4,000).

Run: .venv/bin/python bench/phi_learned.py [--thresholds 0.8 0.9] [--residuals] [--corpus]
"""

import argparse
import json
import math
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = ROOT / "tests" / "data"
CORPUS_FILE = ROOT / "feedback" / "analysis" / "data" / "corpus.jsonl"
# The older rules run in a subprocess from a git archive: their outputs are kept between runs.
CACHE = Path(tempfile.gettempdir()) / "phi_learned_unseen"

from feedback.analysis.redaction.vocabulary import PATIENT  # noqa: E402
from feedback.analysis.redaction.words import (  # noqa: E402
    _COMMON,
    _CUE,
    _ELDER,
    _GIVEN,
    _ORDINARY,
    _SURNAME,
    _UNKNOWN,
    _clean_token,
    _flags,
    _key,
)

Model = tuple[dict[str, float], float, float]  # weights by feature name, bias, threshold


# Placeholders stay one token; punctuation is kept so that commas and sentence ends are seen.
_TOKENS = re.compile(r"\[[A-ZÉ ]+\]|[^\W\d_]+(?:['’-][^\W\d_]+)*|\d+|[^\w\s]")
_SENTENCE_END = frozenset(".!?\n:;")
_NAME_FLAGS = _GIVEN | _SURNAME | _UNKNOWN | _ELDER


def tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, raw) of every word, number, mark and placeholder of the text."""
    return [(m.start(), m.end(), m.group()) for m in _TOKENS.finditer(text)]


def _word_flags(raw: str) -> int:
    return _flags(_key(_clean_token(raw)[1]))


def is_candidate(raw: str) -> bool:
    """A word the model looks at: capitalised, or in a name list, or unknown to dictionaries."""
    if len(raw) < 2 or not raw[0].isalpha():
        return False
    flags = _word_flags(raw)
    if flags & _COMMON:
        return False
    return raw[0].isupper() or bool(flags & _NAME_FLAGS)


def _shape(raw: str) -> str:
    if raw.isupper():
        return "UPPER"
    if raw[0].isupper():
        return "Mixed" if any(c.isupper() for c in raw[1:]) else "Cap"
    return "lower"


def _context_word(raw: str) -> str:
    if raw.startswith("["):
        return "<PATIENT>" if raw == PATIENT else "<OTHER_PH>"
    if raw[0].isdigit():
        return "<NUM>"
    return _key(raw)


def features(toks: list[tuple[int, int, str]], i: int, has_placeholder: bool) -> list[str]:
    """The names of the features of word i: its own form and lists, then its neighbours'."""
    raw = toks[i][2]
    flags = _word_flags(raw)
    shape = _shape(raw)
    feats = [
        "bias",
        f"shape={shape}",
        f"len={min(len(raw), 8)}",
        f"w={_key(raw)}" if flags & (_ORDINARY | _CUE) else "w=<rare>",
    ]
    for bit, name in (
        (_GIVEN, "given"),
        (_SURNAME, "surname"),
        (_ORDINARY, "ordinary"),
        (_UNKNOWN, "unknown"),
        (_ELDER, "elder"),
        (_CUE, "cue"),
    ):
        if flags & bit:
            feats.append(f"list={name}")
            feats.append(f"list={name}|{shape}")
    if not flags & (_GIVEN | _SURNAME | _ORDINARY | _UNKNOWN):
        feats.append(f"list=none|{shape}")
    first = i == 0 or toks[i - 1][2] in _SENTENCE_END
    feats.append(f"initial={first}|{shape}")
    for offset in (-3, -2, -1, 1, 2, 3):
        j = i + offset
        if 0 <= j < len(toks):
            word = _context_word(toks[j][2])
            feats.append(f"w{offset}={word}")
            if abs(offset) == 1:
                other = toks[j][2]
                if other[0].isalpha() and is_candidate(other):
                    feats.append(f"name{offset}|{_shape(other)}")
        else:
            feats.append(f"w{offset}=<edge>")
    if i >= 2 and toks[i - 1][2] == "," and is_candidate(toks[i - 2][2]):
        feats.append(f"after_name_comma|{_shape(toks[i - 2][2])}")
    if i >= 2:
        feats.append(f"w-2:-1={_context_word(toks[i - 2][2])}_{_context_word(toks[i - 1][2])}")
    if i + 2 < len(toks):
        feats.append(f"w+1:+2={_context_word(toks[i + 1][2])}_{_context_word(toks[i + 2][2])}")
    if has_placeholder:
        feats.append("text_has_patient")
    return feats


def probabilities(text: str, model: Model) -> list[tuple[int, int, float]]:
    """(start, end, probability of a patient's or relative's name) of each candidate word."""
    weights, bias, _ = model
    toks = tokens(text)
    has_placeholder = PATIENT in text
    found = []
    for i, (start, end, raw) in enumerate(toks):
        if raw[0].isalpha() and is_candidate(raw):
            z = bias + sum(weights.get(f, 0.0) for f in features(toks, i, has_placeholder))
            found.append((start, end, 1.0 / (1.0 + math.exp(-z))))
    return found


_JOINABLE = re.compile(r"[ \t-]*")


def redact_learned(text: str, model: Model) -> str:
    """The text with the words the model is sure name a patient replaced by the placeholder;
    neighbouring words (and a placeholder already beside them) make one placeholder."""
    spans = [(s, e) for s, e, p in probabilities(text, model) if p >= model[2]]
    if not spans:
        return text
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and _JOINABLE.fullmatch(text, merged[-1][1], start):
            merged[-1][1] = end
        else:
            merged.append([start, end])
    out, last = [], 0
    for start, end in merged:
        # Absorb a patient placeholder just before or after: "M. [PATIENT] Bearskin" is one name.
        before = text[last:start]
        if before.rstrip(" ").endswith(PATIENT) and _JOINABLE.fullmatch(
            before, before.rstrip(" ").rfind(PATIENT) + len(PATIENT)
        ):
            out.append(before[: before.rstrip(" ").rfind(PATIENT)])
        else:
            out.append(before)
        out.append(PATIENT)
        last = end
        if text.startswith(PATIENT, last + len(text[last:]) - len(text[last:].lstrip(" "))):
            last += len(text[last:]) - len(text[last:].lstrip(" ")) + len(PATIENT)
    out.append(text[last:])
    return "".join(out)


def load(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as file:
        return [json.loads(line) for line in file if line.strip()]


# Spelt-out dates and addresses are PHI but no names: the number stages own them.
_NOT_NAME_WORDS = re.compile(
    r"(?i)\b(?:dot|at|un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|"
    r"quatorze|quinze|seize|vingt|trente|quarante|cinquante|soixante|janvier|f[ée]vrier|mars|"
    r"avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|novembre|d[ée]cembre|nineteen|twenty|"
    r"thirty|forty|fifty|sixty|seventy|eighty|ninety|one|two|three|four|five|seven|eight|nine)\b"
)


def name_strings(row: dict) -> list[str]:
    return [
        s
        for s in row["phi"]
        if "@" not in s and not any(c.isdigit() for c in s) and not _NOT_NAME_WORDS.search(s)
    ]


def labelled_words(text: str, names: list[str], has_placeholder: bool):
    """(features, label) of each candidate word of the text."""
    inside = []
    for name in names:
        start = text.find(name)
        while start >= 0:
            inside.append((start, start + len(name)))
            start = text.find(name, start + 1)
    toks = tokens(text)
    for i, (start, end, raw) in enumerate(toks):
        if raw[0].isalpha() and is_candidate(raw):
            label = any(a <= start and end <= b for a, b in inside)
            yield features(toks, i, has_placeholder), label


def examples(rows: list[dict]):
    """Words of the raw texts, and of copies with every name but one already a placeholder."""
    for row in rows:
        names = name_strings(row)
        yield from labelled_words(row["text"], names, False)
        if len(names) > 1:
            for kept in names:
                text = row["text"]
                for other in sorted(names, key=len, reverse=True):
                    if other != kept and other not in kept:
                        text = text.replace(other, PATIENT)
                yield from labelled_words(text, [kept], True)


def residual_examples(rows: list[dict], outputs: list[str]):
    """Words the rules left visible: what the classifier meets in use."""
    for row, out in zip(rows, outputs, strict=True):
        yield from labelled_words(out, name_strings(row), PATIENT in out)


def train(rows: list[dict], threshold: float, c: float = 0.5, residuals=()):
    """The model redact_learned reads: weights by feature name, bias, threshold."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    data = list(examples(rows))
    for rows_, outputs in residuals:
        data.extend(residual_examples(rows_, outputs))
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([dict.fromkeys(f, 1) for f, _ in data])
    y = [label for _, label in data]
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000).fit(x, y)
    weights = dict(zip(vectorizer.get_feature_names_out(), model.coef_[0].tolist(), strict=True))
    weights = {f: round(w, 4) for f, w in weights.items() if abs(w) >= 1e-4}
    return weights, round(float(model.intercept_[0]), 4), threshold


def unseen_rules_outputs(path: Path) -> list[str]:
    """The redaction of the set by the rules of the commit that added it (cached)."""
    cached = CACHE / f"{path.stem}.json"
    if cached.exists():
        return json.loads(cached.read_text(encoding="utf-8"))
    commit = subprocess.run(
        ["git", "log", "--diff-filter=A", "--format=%h", "--", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[-1]
    with tempfile.TemporaryDirectory() as tree:
        archive = subprocess.run(
            ["git", "archive", commit, "feedback"], cwd=ROOT, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", tree], input=archive, check=True)
        code = (
            "import json,sys\nfrom feedback.analysis.redaction import redact\n"
            "rows=[json.loads(l) for l in open(sys.argv[1], encoding='utf-8') if l.strip()]\n"
            "print(json.dumps([redact(r['text']) for r in rows]))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code, str(path)],
            cwd=tree,
            env={"PYTHONPATH": tree},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    CACHE.mkdir(exist_ok=True)
    cached.write_text(out, encoding="utf-8")
    return json.loads(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--thresholds", nargs="*", type=float, default=[0.9])
    parser.add_argument("--c", type=float, default=0.5)
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--residuals", action="store_true", help="also train on rules' leftovers")
    parser.add_argument(
        "--corpus", action="store_true", help="train on every set; speed and corpus texts changed"
    )
    args = parser.parse_args()
    from feedback.analysis.redaction import redact
    from feedback.analysis.redaction.scoring import score

    sets = sorted(DATA.glob("phi-adversarial*.jsonl"))
    rows_of = {path: load(path) for path in sets}
    dev = load(DATA / "phi-dev.jsonl")
    if args.corpus:
        residuals = []
        if args.residuals:
            for path, rows in rows_of.items():
                residuals.append((rows, unseen_rules_outputs(path)))
                residuals.append((rows, [redact(r["text"]) for r in rows]))
        model = train(
            [r for rows in rows_of.values() for r in rows] + dev,
            args.thresholds[0],
            args.c,
            residuals,
        )
        print(f"trained on every set: {len(model[0])} weights, threshold {model[2]}")
        corpus = [row["text"] for row in load(CORPUS_FILE)]
        started = time.perf_counter()
        ruled = [redact(t) for t in corpus]
        rules_time = time.perf_counter() - started
        started = time.perf_counter()
        both = [redact_learned(t, model) for t in ruled]
        extra = time.perf_counter() - started
        changed = [(a, b) for a, b in zip(ruled, both, strict=True) if a != b]
        print(
            f"corpus: rules {len(corpus) / rules_time:,.0f} texts/s, "
            f"rules+classifier {len(corpus) / (rules_time + extra):,.0f} texts/s, "
            f"{len(changed)} of {len(corpus)} texts changed"
        )
        for a, b in changed[:20]:
            print(f"  {a}\n  -> {b}")
        return
    totals: dict[tuple, list] = {}
    for held in sets:
        others = [r for path, rows in rows_of.items() if path != held for r in rows] + dev
        rows = rows_of[held]
        current = [redact(row["text"]) for row in rows]
        unseen = unseen_rules_outputs(held)
        residuals = []
        if args.residuals:
            for path, other_rows in rows_of.items():
                if path != held:
                    residuals.append((other_rows, unseen_rules_outputs(path)))
                    residuals.append((other_rows, [redact(r["text"]) for r in other_rows]))
        weights, bias, _ = train(others, 0.0, args.c, residuals)
        line = [held.stem.removeprefix("phi-adversarial").lstrip("-") or "a"]
        for version, base in (("today", current), ("unseen", unseen)):
            alone = score(rows, base)
            totals.setdefault((version, "rules"), []).append(alone)
            line.append(f"{version}: rules {alone.recall:.3f}/{alone.over_redaction:.3f}")
            for threshold in args.thresholds:
                out = [redact_learned(t, (weights, bias, threshold)) for t in base]
                figures = score(rows, out)
                totals.setdefault((version, threshold), []).append(figures)
                line.append(f"+clf@{threshold} {figures.recall:.3f}/{figures.over_redaction:.3f}")
                if args.misses and version == "unseen" and threshold == args.thresholds[0]:
                    for row, before, after in zip(rows, base, out, strict=True):
                        if before != after:
                            lost = [k for k in row.get("keep", []) if k not in after]
                            print(f"    {after}{'  LOST ' + str(lost) if lost else ''}")
        print("  ".join(line), flush=True)
    print("mean over sets (recall / over-redaction / look-alike texts altered):")
    for key, figures in totals.items():
        n = len(figures)
        print(
            f"  {key[0]:6} {str(key[1]):6} {sum(f.recall for f in figures) / n:.4f} / "
            f"{sum(f.over_redaction for f in figures) / n:.4f} / "
            f"{sum(f.lookalike_rate for f in figures) / n:.4f}"
        )


if __name__ == "__main__":
    main()
