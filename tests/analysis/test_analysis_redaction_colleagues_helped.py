"""Colleagues named where the words around them say they work here: one helped with the unit's
software, one named again with a self-corrected apposition, an English resident worked with on
the physicians' tools, a titled manager after a unit's floor and wing, one in parentheses after
a team or an IT office. The patients beside them, and the look-alikes of care, are removed."""

import pytest

from feedback.analysis import redact


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("J'ai aidé Huguette à retrouver sa liste de travail dans Haiku.", "Huguette"),
        ("Helped Corinne Blais find the pending orders in Hyperspace.", "Corinne Blais"),
        ("Aidé Gaétan Roy à se connecter à Rover ce matin.", "Gaétan Roy"),
        ("Lise m'a formée. Lise Bergeron je veux dire, la formatrice de jour.", "Lise Bergeron"),
        ("Ask Owen Park, I mean, the unit clerk on nights.", "Owen Park"),
        ("Reviewed the order sets with resident Nadia.", "Nadia"),
        ("Went over the in-basket with our resident Tariq Aziz.", "Tariq Aziz"),
        ("La gestionnaire de l'unité 5 Ouest, Mme Carole Simard, rapporte.", "Carole Simard"),
        ("The manager on 3 North, Mr. Dale Quinn, asked for more scanners.", "Dale Quinn"),
        ("IT (Félix Auger) installed the new printer.", "Félix Auger"),
        ("Demandé à l'équipe Bedside (Yannick Proulx) de masquer la DDN.", "Yannick Proulx"),
        ("Asked the Canto team (Leah Stone) about the missing tab.", "Leah Stone"),
        ("Biomed (Jacinthe Roy) a remplacé la pompe.", "Jacinthe Roy"),
    ],
)
def test_a_colleague_stays(text, name):
    assert name in redact(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("J'ai aidé Rosaire Dubé à retrouver ses lunettes.", "Rosaire Dubé"),
        ("J'ai aidé Lucien Roy à lire ses notes dans MyChart.", "Lucien Roy"),
        ("Aidé Odette Roy à renouveler son ordonnance.", "Odette Roy"),
        ("Sat with resident Agnes Moody during lunch.", "Agnes Moody"),
        ("Reviewed the orders with resident Amara, Mr. Ashworth was upset.", "Ashworth"),
        ("Reviewed her meal orders with resident Agnes, she refused her pills.", "Agnes"),
        ("La patiente de l'unité 6 Est, Mme Yolande Gagné, est tombée.", "Yolande Gagné"),
        ("Référé à l'équipe de soins palliatifs (Réjean Pouliot).", "Réjean Pouliot"),
        ("Radiologie (Thérèse Poulin, ch 18) annulée.", "Thérèse Poulin"),
        ("J'ai aidé Jeanne Lavoie à marcher jusqu'à l'écran de télé.", "Jeanne Lavoie"),
        ("Talked to Mme Ducharme, sorry, the nurse was busy.", "Ducharme"),
        ("J'ai aidé Ginette à trouver la note de Mme Fortier dans Hyperspace.", "Fortier"),
    ],
)
def test_a_patient_is_removed(text, name):
    assert name not in redact(text)
