"""How well redaction did on labelled texts: PHI strings removed, strings to keep kept."""

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class RedactionScore:
    """Recall on PHI strings, and what was lost of the strings and texts that had to stay."""

    phi_strings: int
    phi_removed: int
    keep_strings: int
    keep_lost: int
    lookalikes: int
    lookalikes_altered: int

    @property
    def recall(self) -> float:
        return self.phi_removed / self.phi_strings if self.phi_strings else 1.0

    @property
    def over_redaction(self) -> float:
        return self.keep_lost / self.keep_strings if self.keep_strings else 0.0

    @property
    def lookalike_rate(self) -> float:
        return self.lookalikes_altered / self.lookalikes if self.lookalikes else 0.0


def score(rows: Sequence[dict], redacted: Sequence[str]) -> RedactionScore:
    """Score redacted texts against rows with "text", "phi" and optionally "keep" strings.

    A PHI string counts as removed when it no longer appears in the redacted text; a keep
    string as lost when it does not appear any more (redacted, or cut by a placeholder)."""
    phi = [(string, out) for row, out in zip(rows, redacted, strict=True) for string in row["phi"]]
    keep = [
        (string, out)
        for row, out in zip(rows, redacted, strict=True)
        for string in row.get("keep", ())
    ]
    lookalikes = [(row, out) for row, out in zip(rows, redacted, strict=True) if not row["phi"]]
    return RedactionScore(
        phi_strings=len(phi),
        phi_removed=sum(string not in out for string, out in phi),
        keep_strings=len(keep),
        keep_lost=sum(string not in out for string, out in keep),
        lookalikes=len(lookalikes),
        lookalikes_altered=sum(out != row["text"].strip() for row, out in lookalikes),
    )
