import random
import time

import pytest

from feedback.analysis import (
    MAX_TEXT_LENGTH,
    Analyser,
    Analysis,
    Sentiment,
    TextTooLongError,
    analyse,
)


@pytest.mark.parametrize("text", ["", "   ", "\n\t \r\n"])
def test_empty_text_gives_an_empty_analysis(text):
    assert analyse(text) == Analysis(
        redacted="", language="fr", sentiment=Sentiment("neutral", 0.0), themes=()
    )


def test_text_over_the_limit_is_refused_with_a_clear_message():
    with pytest.raises(TextTooLongError) as raised:
        analyse("a" * 20_000)
    assert raised.value.limit == MAX_TEXT_LENGTH == 10_000
    assert raised.value.length == 20_000
    assert "10,000" in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_text_at_the_limit_is_analysed():
    assert analyse("Le système plante. " * (MAX_TEXT_LENGTH // 19)).language == "fr"


def test_analysis_holds_the_redacted_text():
    result = analyse("  Mme Gagnon (dossier 0458123) attend, le système plante.  ")
    assert result.redacted == "Mme [PATIENT] (dossier [DOSSIER]) attend, le système plante."
    assert result.sentiment.label == "negative"
    assert "access" in {theme.code for theme in result.themes}


@pytest.mark.parametrize(
    "text",
    [
        "😀😀😀 🎉",
        "\x00\x01\x02\x1b[31m",
        "0123456789 42 3.14",
        "!!! ??? ... ,,, ;;;",
        "<p>Bonjour <b>équipe</b></p><script>alert('x')</script>",
        "\ud800 lone surrogate",
        "ﬁnalement Œuvre ß",
        "[PATIENT] [RAMQ] [DOSSIER]",
        "Mme M. Mr. dossier MRN née le",
        "A-" * 5000,
        "Abc Def (" * 1100,
    ],
)
def test_odd_inputs_never_raise(text):
    result = analyse(text)
    assert result.language in ("fr", "en")
    assert -1.0 <= result.sentiment.polarity <= 1.0


def test_random_inputs_never_raise_and_stay_fast():
    generator = random.Random(3)
    pieces = [chr(code) for code in range(0x2500)] + [
        "Mme ",
        "dossier ",
        "1234567 ",
        "@",
        "'",
        "pas ",
        "😀",
    ]
    # CPU time, not the wall clock: the bound catches runaway patterns (catastrophic
    # backtracking takes seconds of CPU on one text), whatever else the machine is running.
    started = time.process_time()
    for _ in range(300):
        analyse("".join(generator.choice(pieces) for _ in range(generator.randint(0, 300))))
    assert time.process_time() - started < 5


def test_analysers_are_independent():
    custom = Analyser(extra_terms={"parking": ["stationnement"]})
    assert "parking" in {
        theme.code for theme in custom.analyse("Le stationnement est plein.").themes
    }
    assert "parking" not in {theme.code for theme in analyse("Le stationnement est plein.").themes}
