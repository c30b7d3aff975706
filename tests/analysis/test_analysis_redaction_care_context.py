"""Patients named with no title, placed by what is done for them: a sample taken, a note or an
encounter documented, a list of patients they belong to, a count they are singled out of; and
colleagues beside the same words, who stay."""

import pytest

from feedback.analysis import redact


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Les hémocultures de Painchaud sont parties au mauvais étage.", "Painchaud"),
        ("Printed the labels for Ashworth's sputum culture twice.", "Ashworth"),
        ("J'ai rédigé ma note d'évolution sur Rochefort dans le mauvais épisode.", "Rochefort"),
        ("Charting a phone visit with Gwendolyn Ashby took an hour.", "Gwendolyn Ashby"),
        ("Sur mes 9 patients, Trudel à lui seul a pris une heure.", "Trudel"),
        ("Work list for tonight: LEDUC Jasmine, POIRIER Anselme, all wrong.", "LEDUC"),
        ("Avec Noah ce matin (le garçon de 10 ans en pédiatrie), le formulaire a planté.", "Noah"),
    ],
)
def test_a_patient_placed_by_care_is_removed(text, name):
    assert name not in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "Une note sur Teams ne vaut pas une note au dossier.",
        "Had a call with Gwendolyn Ashby from the Epic team about the flowsheet.",
        "Gwendolyn Ashby came up with a fix for the label printers.",
        "J'avais 7 patients hier, Josée seule à l'étage pour m'aider.",
        "La liste des patients plante dans Cristal-Net, Epic et Meditech.",
    ],
)
def test_a_colleague_or_a_product_beside_the_same_words_stays(text):
    assert redact(text) == text
