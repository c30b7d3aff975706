"""Relatives named beside the patient: a kin word misspelt by a swap of letters ("daugther"),
both parents named together after "parents", and the parents' bodies and colleagues around them
that must stay."""

import pytest

from feedback.analysis import redact

# --- A kin word misspelt by a swap of letters ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Mr Paquette's daugther (Ginette) asked for the visiting hours.", "Ginette"),
        ("daugther Maryse is the contact, she lives in Gatineau.", "Maryse"),
        ("Les daugthers (Line et Johanne) veulent une copie du dossier.", "Johanne"),
    ],
)
def test_a_relative_named_after_a_misspelt_kin_word_is_redacted(text, name):
    assert name not in redact(text)


# --- Both parents named after "parents" ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Parents (Kevin and Jessica) informed by Dr Wong.", ("Kevin", "Jessica")),
        ("Les parents (Éric et Isabelle) ont été avisés du retard.", ("Éric", "Isabelle")),
        ("her parents Dario and Sofia asked for an interpreter", ("Dario", "Sofia")),
    ],
)
def test_parents_named_together_are_redacted(text, names):
    out = redact(text)
    assert all(name not in out for name in names)


def test_the_colleague_who_informed_the_parents_stays():
    assert "Dr Wong" in redact("Parents (Kevin and Jessica) informed by Dr Wong.")


@pytest.mark.parametrize(
    "text",
    [
        "Comité de parents: Julie Roy présente le bilan.",
        "Réunion des parents avec Dr Tremblay demain.",
        "Parents informed by Nathalie at the front desk.",
    ],
)
def test_a_parents_body_and_the_colleagues_beside_parents_stay(text):
    assert redact(text) == text
