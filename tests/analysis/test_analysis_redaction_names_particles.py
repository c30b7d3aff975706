"""A name's particles go with it: the whole name is replaced as one, while "de" and "la"
between a name and an ordinary word stay words."""

import pytest

from feedback.analysis.redaction import redact


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Le patient Maarten Van der Stoel a reçu deux doses.", "Maarten Van der Stoel"),
        ("Patient Friedrich von Lindau in bed 3 fell twice.", "Friedrich von Lindau"),
        ("Mme Lucia di Benedetto en 12 attend son congé.", "Lucia di Benedetto"),
        ("Pt Erwan Le Bihan ch 7 : bracelet illisible.", "Erwan Le Bihan"),
        ("Patient Omar bin Saleh was sent home without his meds.", "Omar bin Saleh"),
        ("pt joost van der kamp ch 4 a chuté", "joost van der kamp"),
        ("mme giulia di santangelo en 9 attend son congé", "giulia di santangelo"),
    ],
)
def test_a_name_with_particles_is_replaced_whole(text: str, name: str) -> None:
    redacted = redact(text)
    assert "[PATIENT]" in redacted
    for part in name.split():
        if len(part) > 3:
            assert part not in redacted


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Mme Gauthier de la 6 a sonné toute la nuit.", "de la 6"),
        ("Caroline de la pharmacie a corrigé la dose.", "Caroline de la pharmacie"),
        ("Merci à Josée de Lévis pour le coup de main.", "Josée de Lévis"),
    ],
)
def test_de_and_la_before_an_ordinary_word_stay_words(text: str, kept: str) -> None:
    assert kept in redact(text)


def test_a_capitals_label_quoted_in_lower_case_text_is_a_name() -> None:
    redacted = redact("Le bracelet disait THIBAULT, GERMAINE mais ce n'était pas elle.")
    assert "THIBAULT" not in redacted and "GERMAINE" not in redacted


def test_a_relative_named_after_their_noun_and_feeling_is_replaced() -> None:
    redacted = redact("Commis: appel d'un frère très inquiet, Réjean Lacasse, pour sa sœur.")
    assert "Réjean Lacasse" not in redacted


def test_a_name_after_a_clinical_assessment_is_the_patient_s() -> None:
    redacted = redact("J'ai cherché l'évaluation de Fernande pendant 15 minutes.")
    assert "Fernande" not in redacted
