"""PHI recall and over-redaction of the redactor on a labelled set, and its speed alone.

Each line of the set is {"text", "phi": [strings that identify a patient or a relative],
"keep": [strings that must stay: staff, places, units, products, references]}. Recall is the
share of PHI strings gone from the redacted text; over-redaction the share of keep strings
that did not survive, and the share of texts without PHI that were altered at all.

Run: .venv/bin/python bench/redaction.py [tests/data/phi-adversarial.jsonl ...] [--misses]
"""

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_SET = ROOT / "tests" / "data" / "phi-adversarial.jsonl"


def main() -> None:
    """Print the figures of each set; with --misses, every PHI kept and every keep string lost."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sets", nargs="*", type=Path, default=[DEFAULT_SET])
    parser.add_argument("--misses", action="store_true", help="list what went wrong")
    args = parser.parse_args()
    from feedback.analysis.redaction import redact
    from feedback.analysis.redaction.scoring import score

    for path in args.sets:
        with open(path, encoding="utf-8") as file:
            rows = [json.loads(line) for line in file if line.strip()]
        started = time.perf_counter()
        redacted = [redact(row["text"]) for row in rows]
        elapsed = time.perf_counter() - started
        figures = score(rows, redacted)
        print(f"{path.name}: {len(rows)} texts, {len(rows) / elapsed:,.0f} texts/s")
        print(
            f"  PHI recall        {figures.recall:.3f} "
            f"({figures.phi_removed}/{figures.phi_strings} strings removed)"
        )
        print(
            f"  over-redaction    {figures.over_redaction:.3f} "
            f"({figures.keep_lost}/{figures.keep_strings} keep strings lost)"
        )
        print(
            f"  look-alike texts  {figures.lookalikes_altered}/{figures.lookalikes} altered "
            f"({figures.lookalike_rate:.3f})"
        )
        if args.misses:
            for row, out in zip(rows, redacted, strict=True):
                missed = [phi for phi in row.get("phi", []) if phi in out]
                lost = [keep for keep in row.get("keep", []) if keep not in out]
                altered = not row.get("phi") and out != row["text"].strip()
                if missed or lost or altered:
                    print(f"- {row.get('id', '')}: {row['text']}")
                    print(f"  -> {out}")
                    if missed:
                        print(f"  missed {missed}")
                    if lost:
                        print(f"  lost {lost}")


if __name__ == "__main__":
    main()
