"""How much managers' corrections move the theme model: a simulated learning curve.

A "site" is two of the seven writers, whose texts the base model never sees. Part of the site's
texts (a pool of up to 1,000) plays the managers' corrections; the rest is the site's test set.
The model is retrained through train_model() on the shipped examples of the other writers plus
the first 0, 100, 300 and 1,000 corrections, as the app's retraining does, and scored on the
site's test texts with evaluate(). Each site is one run; the curve is averaged over the sites.

Run: .venv/bin/python bench/learning_curve.py [--sites 3] [--sizes 0,100,300,1000]
"""

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from feedback.analysis import Analyser, train_model  # noqa: E402
from feedback.analysis.evaluation import evaluate  # noqa: E402
from feedback.analysis.training import corpus_rows  # noqa: E402

POOL = 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sites", type=int, default=3, help="pairs of writers tried in turn")
    parser.add_argument("--sizes", default="0,100,300,1000")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    rows = corpus_rows()
    writers = sorted({row["writer"] for row in rows if not row["writer"].startswith("old-")})
    pairs = [(writers[i], writers[(i + 3) % len(writers)]) for i in range(len(writers))]
    curve: dict[int, list[float]] = {size: [] for size in sizes}
    print(f"{'site':<48}" + "".join(f"{size:>8}" for size in sizes))
    for site in pairs[: args.sites]:
        generator = random.Random(args.seed)
        local = [row for row in rows if row["writer"] in site]
        generator.shuffle(local)
        pool, test = local[:POOL], local[POOL:]
        base = [(row["text"], row["themes"]) for row in rows if row["writer"] not in site]
        scores = []
        for size in sizes:
            started = time.perf_counter()
            corrections = [(row["text"], row["themes"]) for row in pool[:size]]
            model = train_model(base + corrections)
            report = evaluate(test, Analyser(model=model))
            scores.append(report.macro_f1)
            curve[size].append(report.macro_f1)
            print(f"  {size} corrections: macro-F1 {report.macro_f1:.3f} "
                  f"({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
        name = " + ".join(site) + f" ({len(test)} test)"
        print(f"{name:<48}" + "".join(f"{score:>8.3f}" for score in scores), flush=True)
    means = [sum(curve[size]) / len(curve[size]) for size in sizes]
    print(f"{'mean':<48}" + "".join(f"{mean:>8.3f}" for mean in means))
    gains = "".join(f"{mean - means[0]:>+8.3f}" for mean in means)
    print(f"{'gain over no correction':<48}" + gains)


if __name__ == "__main__":
    main()
