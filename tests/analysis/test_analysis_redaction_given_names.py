"""A patient named by a given name alone, a title or a child's diminutive: the cue that places
the name (an age, a room, whose patient, "le petit") against the one that places a colleague's
(a role, a unit, thanks)."""

import pytest

from feedback.analysis import redact


@pytest.mark.parametrize(
    "text, expected",
    [
        # An age in apposition, told alone or with a child's noun.
        (
            "Théo, 5 mois, revient pour la même otite.",
            "[PATIENT], 5 mois, revient pour la même otite.",
        ),
        (
            "Pour Inès (la petite de 6 ans en pédiatrie) le gabarit manque.",
            "Pour [PATIENT] (la petite de 6 ans en pédiatrie) le gabarit manque.",
        ),
        (
            "Levi (the 2-year-old in bay 5) got two trays.",
            "[PATIENT] (the 2-year-old in bay 5) got two trays.",
        ),
        # A child told by an age or a bed, then the name in parentheses.
        (
            "Le garçon de 9 ans en 3 (Adam) a eu deux doses.",
            "Le garçon de 9 ans en 3 ([PATIENT]) a eu deux doses.",
        ),
        # Whose patient, and a room said "à la".
        (
            "Une note sur Colin, mon patient de la 8, a disparu.",
            "Une note sur [PATIENT], mon patient de la 8, a disparu.",
        ),
        (
            "Pour Ovide à la 11 la pompe a rien transmis.",
            "Pour [PATIENT] à la 11 la pompe a rien transmis.",
        ),
        # A diminutive before a name, where the child lies or what befalls it.
        (
            "Le petit Arlo en isolement attend son lait.",
            "Le petit [PATIENT] en isolement attend son lait.",
        ),
        (
            "Le dossier de la petite Ariane Morin est ouvert.",
            "Le dossier de la petite [PATIENT] est ouvert.",
        ),
        # A thing or a feeling after a titled name opens what is said of the patient.
        (
            "Mme Thibault, l'imprimante de sa chambre est brisée.",
            "Mme [PATIENT], l'imprimante de sa chambre est brisée.",
        ),
        ("M. Royer, la douleur est revenue.", "M. [PATIENT], la douleur est revenue."),
    ],
)
def test_a_patient_placed_by_age_room_or_diminutive_goes(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Marc (2 semaines) remplace Julie.",
        "Vacances de Chloé, 3 semaines, pas remplacée.",
        "Rencontre avec Josée à la 3e réunion.",
        "Julie de la 6 Nord m'a aidée.",
        "Merci à Denis, notre patient partenaire, pour la présentation.",
        "Mme Dupras, notre coordonnatrice, a réglé l'accès.",
        "On a reçu le petit Velcro en urgence.",
        "Le jeune de l'informatique (Hugo) est venu.",
        "Thérèse, mon aide de service, a perdu son accès.",
    ],
)
def test_a_colleague_a_span_or_a_thing_stays(text):
    assert redact(text) == text
