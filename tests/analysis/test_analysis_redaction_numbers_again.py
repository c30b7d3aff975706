"""Numbers, dates and addresses a patient's name or a chart's noun claims: a site's capitals then
digits grouped like a phone number, a temporary chart's code, a whole date or a lower-case given
name right after a patient's name, a lower-case street after a boulevard's abbreviation, and a
civic number given again with its digits swapped."""

import pytest

from feedback.analysis import redact


@pytest.mark.parametrize(
    ("text", "removed"),
    [
        ("Le dossier QC 318-5520 est celui de M. Roy.", "318-5520"),
        ("Chart # KB 904-1187 was merged by mistake.", "904-1187"),
        ("dossier provisoire NOMINC-77120 fusionné trop vite", "NOMINC-77120"),
        ("Inscrits: Zoé Lemay 2022-08-30 et son frère.", "2022-08-30"),
        ("Mr. Haddad (12/05/2017) is listed under his father's chart.", "12/05/2017"),
        ("mme turcotte (lorraine) attend sa lettre", "lorraine"),
        ("envoyer au 640 boul. chauveau, la facture", "640 boul. chauveau"),
        ("Home address 219 Birch Road; the ambulance went to the 291.", "291"),
        ("Adresse au dossier: 5530 rue Lanaudière. Le CLSC avait le 5350 Lanaudière.", "5350"),
    ],
)
def test_the_identifier_goes(text, removed):
    assert removed not in redact(text)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Le soutien TI est au 1-866-555-0120, demandez le poste 2231.", "1-866-555-0120"),
        ("Mme Roy 2024-04-03 à 10h : chute sans blessure.", "2024-04-03"),
        ("Mme Roy (soir) a sonné trois fois.", "soir"),
        ("Il y a 3 rue fermée devant l'urgence.", "3 rue fermée"),
        ("Il habite au 1420 rue Lanctôt; l'unité a 1240 patients suivis.", "1240 patients"),
        ("La clinique déménage au 75 boul. Taché Ouest, salle 3.", "75 boul. Taché Ouest"),
    ],
)
def test_what_is_no_identifier_stays(text, kept):
    assert kept in redact(text)
