from feedback.analysis import Analyser
from feedback.analysis.evaluation import evaluate, format_report

ROWS = [
    {"text": "Mon mot de passe a expiré.", "themes": ["access"], "sentiment": "negative",
     "language": "fr", "kind": "survey"},
    {"text": "The class was too short, we never practised.", "themes": ["training"],
     "sentiment": "negative", "language": "en", "kind": "survey"},
    {"text": "Il neige encore.", "themes": [], "sentiment": "neutral", "language": "fr",
     "kind": "observation"},
]


def test_report_counts_themes_per_text_and_exact_sets():
    report = evaluate(ROWS, Analyser())
    assert report.labelled_themes_per_text == 2 / 3
    assert 0 <= report.exact_set_accuracy <= 1
    assert report.themes_per_text >= 0
    text = format_report(report)
    for expected in ("precision", "recall", "themes per text", "exact theme sets",
                     "expected \\ got", "sentiment accuracy", "language accuracy"):
        assert expected in text


def test_evaluate_can_pass_the_kind_of_text():
    assert evaluate(ROWS, Analyser(), use_kind=True).count == 3
