"""Colleagues placed by their office, by a fix or a request, by work on the unit's tools, by a
role of two nouns; streets, houses and drug brands that look like names. A patient's cue in the
same clause still wins."""

import pytest

from feedback.analysis.redaction import redact


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Fatima Zahra from social work cannot open the consult tab.", "Fatima Zahra"),
        ("Roxanne Giguère au bureau des inscriptions a trouvé le bogue.", "Roxanne Giguère"),
        ("Label printer mapped to the wrong floor. Fixed w/ Owen Tully.", "Owen Tully"),
        ("The nurse navigator Aurora Lindgren has to print everything.", "Aurora Lindgren"),
        ("Jonathan Leclair a refait les formulaires de congé, bravo.", "Jonathan Leclair"),
        ("La pompe plante encore. Pascale Drolet en a parlé au fournisseur.", "Pascale Drolet"),
        ("Les infirmières n'ont pas accès. Line Fréchette a fait la demande.", "Line Fréchette"),
        ("Son pharmacien (Familiprix rue Masson) n'a rien reçu.", "rue Masson"),
        ("Refuges à appeler: L'Anonyme, Chez Pauline.", "Chez Pauline"),
        ("Elle a manqué son injection de Risperdal Consta.", "Risperdal Consta"),
    ],
)
def test_a_colleague_or_a_thing_is_kept(text: str, name: str) -> None:
    assert name in redact(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("M. Octave Rainville a refait une chute ce matin.", "Octave Rainville"),
        ("Le patient Réjean Latreille en a parlé à son médecin.", "Réjean Latreille"),
        ("Mme Gisèle Fontaine vit chez Armande Fontaine, sa cousine.", "Armande Fontaine"),
        ("La pompe de Mme Ghislaine Lortie sonnait sans arrêt.", "Ghislaine Lortie"),
        (
            "Les préposés n'ont pas accès. Lorenzo Bianchi a fait la demande pour son père.",
            "Lorenzo Bianchi",
        ),
    ],
)
def test_a_patient_cue_in_the_clause_still_wins(text: str, name: str) -> None:
    assert name not in redact(text)
