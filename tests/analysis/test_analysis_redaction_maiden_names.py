"""Other names of one patient: a maiden name, the familiar word for an old person, an initial
spelt out, namesakes' given names, a name shown in a record and a title typed glued."""

import pytest

from feedback.analysis.redaction import redact


@pytest.mark.parametrize(
    ("text", "identifiers"),
    [
        ("Mme Thérèse Morin née Caron a deux dossiers.", ["Thérèse Morin", "Caron"]),
        ("Mrs. Joan Reid nee Baxter was admitted twice.", ["Joan Reid", "Baxter"]),
        ("Mémère Lacasse a refusé son bain.", ["Lacasse"]),
        ("Grandpa Novak pulled his IV again.", ["Novak"]),
        ("pt roy m. (marcel) a chuté ce matin", ["roy", "marcel"]),
        ("les deux Bédard étaient sur la même liste (Réal et Rémi).", ["Bédard", "Réal", "Rémi"]),
        ("Dans Epic c'est Caron Lise, les préposés la cherchent.", ["Caron Lise"]),
        ("m.gagnon est tombé en allant à la salle de bain", ["gagnon"]),
        ("Ti-Gus du 214 a fugué encore", ["Ti-Gus"]),
    ],
)
def test_another_name_of_a_patient_is_redacted(text, identifiers):
    redacted = redact(text)
    for identifier in identifiers:
        assert identifier not in redacted


@pytest.mark.parametrize(
    "text",
    [
        "Le rendez-vous est à 2 p.m. avec le m.d. de garde.",
        "Elle termine sa m.sc. en gestion des soins.",
        "Merci à Julie du 15 mars pour le rapport de garde.",
        "Merci à Josée du 3 Nord pour la pompe prêtée.",
        "Marc du 2 a pris la relève à minuit.",
        "Karine du 2400 répond jamais au téléphone.",
        "Merci à Caron J. (Julie), notre ASI, pour la formation.",
        "Merci à Julie Roy et Marc Côté, les inhalos de nuit, pour leur aide.",
        "Les deux Gagnon ont été vus par les infirmières (Julie et Karine).",
        "Pépère a bien dormi et mémère aussi.",
    ],
)
def test_colleagues_dates_and_abbreviations_stay(text):
    kept = ["Julie", "Josée", "Marc", "Karine", "Caron", "m.d.", "m.sc.", "Pépère"]
    redacted = redact(text)
    for word in kept:
        if word in text:
            assert word in redacted
