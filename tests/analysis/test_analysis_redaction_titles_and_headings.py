"""A role heading a note names its writer, and the titled person after it is the one cared for;
a titled person who teaches the team, a teacher in apposition, or a lower-case title before what
only a colleague does is a colleague; a pharmacy and its street in an aside are a business."""

import pytest

from feedback.analysis.redaction import redact


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Inhalo - M. Beauregard 614 a refusé le masque.", "Beauregard"),
        (
            "Diététiste – Mme Ladouceur (la dame qui ne mange que du jello depuis lundi) a maigri.",
            "Ladouceur",
        ),
        ("PT - Mrs. Tremaine 22 walked to the door twice.", "Tremaine"),
        ("M. Rivest, ingénieur retraité, a arraché son soluté.", "Rivest"),
        ("Mme Harnois (Brunet rue Principale) n'a pas reçu sa prescription.", "Harnois"),
    ],
)
def test_the_person_cared_for_is_removed(text, name):
    assert name not in redact(text)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Physio - Mme Larochelle nous a expliqué la nouvelle grille.", "Larochelle"),
        ("L'enseignante du collège, Mme Villeneuve, supervise les stagiaires.", "Villeneuve"),
        ("Our school instructor, Mr. Petrakis, told us to chart right away.", "Petrakis"),
        ("mme gauvreau m'a montré le raccourci pour les bilans", "gauvreau"),
        ("Mme Nadeau (Proxim avenue du Parc) a appelé.", "Proxim"),
    ],
)
def test_the_colleague_or_the_business_stays(text, kept):
    assert kept in redact(text)
