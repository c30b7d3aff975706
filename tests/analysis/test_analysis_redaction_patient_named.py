"""Patients named by weaker cues: a care home's resident set apart by commas or named so, and a
patient or a child said with an age or a unit, then named in apposition."""

import pytest

from feedback.analysis.redaction import redact


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("our resident, Philomène, fell at 0300 near the desk.", "Philomène"),
        ("A resident at CHSLD Laval named Odile Perron lost her allergies.", "Odile Perron"),
        ("Enfant de 9 ans, Jayden Morin-Sioui, aux soins intensifs.", "Jayden Morin-Sioui"),
        ("Jeune patiente de chirurgie, Rosalie, a reçu deux plateaux.", "Rosalie"),
        ("A girl of 8, Keisha Brown, was admitted without a weight.", "Keisha Brown"),
    ],
)
def test_a_patient_named_by_a_weaker_cue_is_removed(text, name):
    assert name not in redact(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The resident, Kevin, wrote the orders before rounds.", "Kevin"),
        ("Our resident, Priya, signed the discharge summary.", "Priya"),
        ("Pour le patient de l'urgence, Julie a appelé le soutien.", "Julie"),
        ("Avec la patiente de la clinique, Nathalie a revu le portail.", "Nathalie"),
    ],
)
def test_a_colleague_near_the_same_words_is_kept(text, name):
    assert name in redact(text)
