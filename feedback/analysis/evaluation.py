"""Measure the pipeline against labelled texts (the LABELS.md JSON Lines format)."""

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from feedback.analysis.pipeline import Analyser, analyse
from feedback.analysis.results import Analysis
from feedback.analysis.themes import THEMES

SENTIMENTS = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class ThemeMetrics:
    """Precision, recall and F1 of one theme, and how many texts carry it."""

    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class EvaluationReport:
    """Scores of the pipeline on a set of labelled texts; PHI fields are None without 'phi' rows."""

    count: int
    themes: dict[str, ThemeMetrics]
    macro_f1: float
    sentiment_accuracy: float
    sentiment_confusion: dict[str, dict[str, int]]  # expected label -> predicted label -> count
    language_accuracy: float
    phi_recall: float | None
    phi_strings: int | None
    phi_strings_removed: int | None
    over_redaction: float | None
    lookalike_texts: int | None
    lookalike_texts_altered: int | None
    # Mean number of themes per text, predicted and labelled, and the share of texts whose
    # predicted set of themes is exactly the labelled one.
    themes_per_text: float = 0.0
    labelled_themes_per_text: float = 0.0
    exact_set_accuracy: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return asdict(self)


def evaluate(
    rows: Iterable[dict], analyser: Analyser | None = None, *, use_kind: bool = True
) -> EvaluationReport:
    """Analyse every row's text and compare with its labels.

    A row's "kind" (survey or observation), when it has one, is passed to the analyser as the app
    passes it when it records feedback; use_kind=False scores the texts without it.
    """
    run = analyser.analyse if analyser is not None else analyse
    rows = list(rows)
    analyses = [run(row["text"], row.get("kind") if use_kind else None) for row in rows]
    codes = list(THEMES) + sorted({code for row in rows for code in row["themes"]} - set(THEMES))
    themes = {code: _theme_metrics(code, rows, analyses) for code in codes}
    confusion = {expected: {predicted: 0 for predicted in SENTIMENTS} for expected in SENTIMENTS}
    for row, analysis in zip(rows, analyses, strict=True):
        confusion[row["sentiment"]][analysis.sentiment.label] += 1
    phi_rows = [
        (row, analysis) for row, analysis in zip(rows, analyses, strict=True) if "phi" in row
    ]
    strings = [(phi, analysis.redacted) for row, analysis in phi_rows for phi in row["phi"]]
    lookalikes = [(row, analysis) for row, analysis in phi_rows if not row["phi"]]
    removed = sum(phi not in redacted for phi, redacted in strings)
    altered = sum(analysis.redacted != row["text"].strip() for row, analysis in lookalikes)
    return EvaluationReport(
        count=len(rows),
        themes=themes,
        macro_f1=_mean([metrics.f1 for metrics in themes.values()]),
        sentiment_accuracy=_mean(
            [row["sentiment"] == a.sentiment.label for row, a in zip(rows, analyses, strict=True)]
        ),
        sentiment_confusion=confusion,
        language_accuracy=_mean(
            [row["language"] == a.language for row, a in zip(rows, analyses, strict=True)]
        ),
        phi_recall=_ratio(removed, len(strings)) if phi_rows else None,
        phi_strings=len(strings) if phi_rows else None,
        phi_strings_removed=removed if phi_rows else None,
        over_redaction=_ratio(altered, len(lookalikes)) if phi_rows else None,
        lookalike_texts=len(lookalikes) if phi_rows else None,
        lookalike_texts_altered=altered if phi_rows else None,
        themes_per_text=_mean([len(analysis.themes) for analysis in analyses]),
        labelled_themes_per_text=_mean([len(row["themes"]) for row in rows]),
        exact_set_accuracy=_mean(
            [
                {theme.code for theme in analysis.themes} == set(row["themes"])
                for row, analysis in zip(rows, analyses, strict=True)
            ]
        ),
    )


def format_report(report: EvaluationReport) -> str:
    """A plain-text table of the report."""
    lines = [
        f"{report.count} texts",
        "",
        f"{'theme':<15}{'precision':>10}{'recall':>10}{'F1':>10}{'support':>10}",
    ]
    for code, metrics in report.themes.items():
        lines.append(
            f"{code:<15}{metrics.precision:>10.3f}{metrics.recall:>10.3f}{metrics.f1:>10.3f}{metrics.support:>10}"
        )
    lines += [
        f"{'macro-F1':<15}{report.macro_f1:>30.3f}",
        f"themes per text     {report.themes_per_text:.2f} predicted, "
        f"{report.labelled_themes_per_text:.2f} labelled "
        f"(ratio {_ratio(report.themes_per_text, report.labelled_themes_per_text):.2f})",
        f"exact theme sets    {report.exact_set_accuracy:.3f}",
        "",
        f"sentiment accuracy  {report.sentiment_accuracy:.3f}",
        "expected \\ got" + "".join(f"{label:>10}" for label in SENTIMENTS),
    ]
    for expected, counts in report.sentiment_confusion.items():
        lines.append(f"{expected:<15}" + "".join(f"{counts[label]:>10}" for label in SENTIMENTS))
    lines += ["", f"language accuracy   {report.language_accuracy:.3f}"]
    if report.phi_recall is not None:
        lines += [
            f"PHI recall          {report.phi_recall:.3f}  "
            f"({report.phi_strings_removed}/{report.phi_strings} strings removed)",
            f"over-redaction      {report.over_redaction:.3f}  "
            f"({report.lookalike_texts_altered}/{report.lookalike_texts} texts without PHI "
            "altered)",
        ]
    return "\n".join(lines)


def analysis_record(id: str, analysis: Analysis) -> dict[str, Any]:
    """The JSON line `flask analyze` prints for one analysed text."""
    return {
        "id": id,
        "language": analysis.language,
        "sentiment": {
            "label": analysis.sentiment.label,
            "polarity": round(analysis.sentiment.polarity, 4),
        },
        "themes": [
            {"code": theme.code, "confidence": theme.confidence} for theme in analysis.themes
        ],
        "redacted": analysis.redacted,
    }


def _theme_metrics(code: str, rows: list[dict], analyses: list[Analysis]) -> ThemeMetrics:
    expected = [code in row["themes"] for row in rows]
    predicted = [any(theme.code == code for theme in analysis.themes) for analysis in analyses]
    true_positives = sum(e and p for e, p in zip(expected, predicted, strict=True))
    precision = _ratio(true_positives, sum(predicted))
    recall = _ratio(true_positives, sum(expected))
    f1 = _ratio(2 * precision * recall, precision + recall)
    return ThemeMetrics(round(precision, 4), round(recall, 4), round(f1, 4), sum(expected))


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def _mean(values: list) -> float:
    return _ratio(sum(values), len(values))
