"""Colleagues named with no title, told apart by what the sentence says of them: who speaks for
an office or a department, who opens a request or writes an aid for the team, who is joined to
a colleague by "et", who is set apart from the patient; and brands after a device's noun. The
patients beside them are still removed."""

import pytest

from feedback.analysis import redact


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Archives (Nicole Aubin) avisées, le formulaire revient lundi.", "Nicole Aubin"),
        ("Sylvain Rioux a ouvert une requête pour les droits d'accès.", "Sylvain Rioux"),
        ("Megan Holt opened a request with the vendor for the missing field.", "Megan Holt"),
        ("Lise Goulet va rédiger un guide pour les nouvelles.", "Lise Goulet"),
        ("Démo faite à Julien Caron et Maxime Pilon.", "Maxime Pilon"),
        ("Simon Ferland au pilotage nous a dit que le correctif est prévu.", "Simon Ferland"),
        ("Mr. Oduya (the patient, not our Beatrice) got the wrong diet.", "Beatrice"),
        ("La pompe Plum ne communique pas avec le DSN.", "Plum"),
    ],
)
def test_a_colleague_or_a_brand_stays(text, name):
    assert name in redact(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Mr. Oduya (the patient, not our Beatrice) got the wrong diet.", "Oduya"),
        ("Le patient Gérard Poitras a écrit une lettre à sa fille.", "Gérard Poitras"),
        ("Pour la chambre 3, Armand Picard au pilotage dit qu'il a froid.", "Armand Picard"),
        ("Le glucomètre de Rosaire Dumont ne transfère pas.", "Rosaire Dumont"),
        ("M. Dell a refusé son déjeuner.", "Dell"),
    ],
)
def test_a_patient_beside_the_same_words_is_removed(text, name):
    assert name not in redact(text)
