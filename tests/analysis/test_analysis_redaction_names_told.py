"""Names a text tells of a patient by the words around them: the name's noun or a spelling verb,
a new name given, what a board or band shows, a quoted nickname of several words, and other
spellings of a told name; and the words of the same shape that stay."""

import pytest

from feedback.analysis import redact
from feedback.analysis.redaction.nicknames import _edits_within


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Pt au 7, nom de famille Lacombe, pas de carte.",
            "Pt au 7, nom de famille [PATIENT], pas de carte.",
        ),
        ("first name Anwar, no ID yet", "first name [PATIENT], no ID yet"),
        ("son prénom c'est ghislain", "son prénom c'est [PATIENT]"),
        (
            "Name typed as Prudhomme in one chart and Prud'homme in the other.",
            "Name typed as [PATIENT] in one chart and [PATIENT] in the other.",
        ),
        ("Le nouveau-né a été renommé Mathis hier.", "Le nouveau-né a été renommé [PATIENT] hier."),
        (
            "The wristband reads Tessier, wrong patient!",
            "The wristband reads [PATIENT], wrong patient!",
        ),
        (
            "Il répond au surnom « Le Vieux Loup » seulement.",
            "Il répond au surnom « [PATIENT] » seulement.",
        ),
        (
            "Her name is spelled Kaczmarek, not Kazmarek.",
            "Her name is spelled [PATIENT], not [PATIENT].",
        ),
    ],
)
def test_a_name_the_text_tells_is_redacted(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "L'onglet a été renommé Sommaire dans la version 12.",
        "The tracking board shows 'LWBS' at the top of the list.",
        "The nickname field is not printed on the armband.",
        "Le nom est écrit en majuscules dans le nouveau système.",
        "Patient registered under Dr. Lemire by mistake.",
        "Merci à Nathalie, pas Natalie, de la pharmacie.",
        "Our nurse's first name Julie is on the board, she was great.",
    ],
)
def test_words_of_the_same_shape_stay(text):
    assert redact(text) == text


def test_near_spellings_are_one_or_two_letters_apart():
    assert _edits_within("bergerron", "bergeron", 1)
    assert _edits_within("ouimette", "ouimet", 2)
    assert not _edits_within("tremblay", "tremblant", 1)
    assert not _edits_within("gagnon", "giguere", 2)


def test_short_names_two_letters_apart_are_two_names():
    text = "Le bracelet dit Martel. Merci à Martin, le commis, qui l'a refait."
    assert redact(text) == "Le bracelet dit [PATIENT]. Merci à Martin, le commis, qui l'a refait."


def test_two_letters_swapped_are_one_slip():
    assert _edits_within("ngyuen", "nguyen", 1)
    assert _edits_within("siobahn", "siobhan", 1)
