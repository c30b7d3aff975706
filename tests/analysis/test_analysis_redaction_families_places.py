"""Colleagues named by their work, foster families, and places or products beside names: who a
name belongs to when a document, a team, a shift, a place's noun or a product's shape says so."""

import pytest

from feedback.analysis import redact
from feedback.analysis.redaction import PATIENT, PHONE


@pytest.mark.parametrize(
    "text, kept",
    [
        ("Le tutoriel vidéo Teams de Francine Harvey est très bien fait.", "Francine Harvey"),
        ("The printable cheat sheet by Aaron Whitley saved us on nights.", "Aaron Whitley"),
        ("Demande envoyée à l'équipe d'Yves Larochelle la semaine passée.", "Yves Larochelle"),
        ("Scanner still down in bay 3. Pinged Oksana Horvath twice.", "Oksana Horvath"),
        ("Les retards ont augmenté. Kathleen Moreau compile les statistiques.", "Kathleen Moreau"),
        ("La sage femme (Rosalie Turgeon) n'a pas les droits de prescription.", "Rosalie Turgeon"),
        ("Journée calme au soutien, 12 billets fermés. Relève : Benoît Lessard.", "Benoît Lessard"),
        ("The social worker Megan Doyle is aware of the access issue.", "Megan Doyle"),
    ],
)
def test_a_colleague_named_by_their_work_is_kept(text, kept):
    assert kept in redact(text)


@pytest.mark.parametrize(
    "text, removed",
    [
        ("La famille d'accueil Desrosiers-Paré n'a pas reçu la convocation.", "Desrosiers-Paré"),
        ("On doit rappeler la famille d'accueil des Mukendi avant la sortie.", "Mukendi"),
        ("His foster parents (the Halvorsens) never got the letter.", "Halvorsens"),
        ("The Pelletiers asked twice for the discharge papers.", "Pelletiers"),
        ("La procédure d'admission de Rémi Lachapelle a été faite en double.", "Rémi Lachapelle"),
        ("Relève 2e : 210 Yvonne Béland, 212 Marcel Joly.", "Yvonne Béland"),
    ],
)
def test_a_foster_family_or_a_patient_beside_those_cues_is_removed(text, removed):
    assert removed not in redact(text)


def test_a_foster_familys_phone_is_a_relatives():
    assert PHONE in redact("Numéro de la famille d'accueil : 450-555-0192.")
    assert "poste 4410" in redact("L'accueil au poste 4410 ne répond pas.")


def test_a_student_is_no_outpatient_clinic():
    redacted = redact("La note de Mme Colette Dion (consultation externe) est au mauvais épisode.")
    assert "Colette Dion" not in redacted


@pytest.mark.parametrize(
    "text, kept, removed",
    [
        ("Mr. Brody Kerr (Elliottown) missed his scan.", "Elliottown", "Kerr"),
        ("Mme Ida Fournier (Victoriaville) attend son transport.", "Victoriaville", "Ida Fournier"),
        (
            "Patient Noah Kigutak was sent to the lodge (Tasiujaq House) after discharge.",
            "Tasiujaq House",
            "Noah Kigutak",
        ),
        (
            "Montrer aux externes les modèles de notes (NoteWriter) pour Mme Anna Roy.",
            "NoteWriter",
            "Anna Roy",
        ),
    ],
)
def test_a_place_or_a_product_in_parentheses_is_kept_beside_the_patient(text, kept, removed):
    redacted = redact(text)
    assert kept in redacted and removed not in redacted
    assert PATIENT in redacted


def test_a_name_in_parentheses_after_a_patient_is_still_theirs():
    redacted = redact("Mme Lise (Thibault) a refusé son bain.")
    assert "Thibault" not in redacted
