"""Titles, initials and lower-case forms: what a patient's title, a patient's noun, a bed or a
patient's identifier makes of the name beside it, and what stays a colleague's."""

import pytest

from feedback.analysis.redaction import redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An accented surname whose folded form is a function word or a common word.
        ("Mme Pagé a refusé son repas.", "Mme [PATIENT] a refusé son repas."),
        ("Mr. Sité missed his scan.", "Mr. [PATIENT] missed his scan."),
        # A role then a verb after a titled name opens the next clause.
        (
            "la note de M. Dubé, inf a dû la refaire",
            "la note de M. [PATIENT], inf a dû la refaire",
        ),
        # Glued to the title's stop, or after an initial, in lower case.
        ("labs for mrs.ferreira lost", "labs for mrs.[PATIENT] lost"),
        ("chart for Mr.Ferreira lost", "chart for Mr.[PATIENT] lost"),
        ("fyi mr t. obrien in 4 is NPO", "fyi mr [PATIENT] in 4 is NPO"),
        # A lone initial after a patient's noun and title.
        ("la cliente Mme R. refuse les visites", "la cliente Mme [PATIENT] refuse les visites"),
        # A given name and an initial right after a chart number.
        ("MRN 00441277 / Denise P. rebooked", "MRN [DOSSIER] / [PATIENT] rebooked"),
        # A name in parentheses after a person named by their bed.
        ("le mr en 6 (Tanguay) a faim", "le mr en 6 ([PATIENT]) a faim"),
        # A name opening a care note that says the person is unwell.
        ("raymond pas bien ce soir, sat 87", "[PATIENT] pas bien ce soir, sat 87"),
    ],
)
def test_a_patient_named_by_a_title_an_initial_or_a_bed_is_redacted(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Merci à Mme Lortie, inf. du 4e, pour son aide.",
        "La page d'accueil plante encore.",
        "rdv à 3 p.m.demain pour la réunion",
        "Appelez Mme B. au poste 4412 pour la salle.",
        "Ticket 44812 / Julie Roy of IT fixed the queue.",
        "Lucie pas bien contente du nouvel horaire.",
        "voir Dr.Roy demain pour la formation",
        "Salle 2 (Pédiatrie) fermée pour la nuit.",
    ],
)
def test_colleagues_and_things_beside_those_cues_stay(text):
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Le module ne montre pas les interprètes. Mme Abdi ne parle que le somali.", "Abdi"),
        ("The unit lacks nurses. Mrs. Okafor waited two hours for her meds.", "Okafor"),
        ("Merci à notre infirmière. M. Gendron a eu son congé à temps.", "Gendron"),
    ],
)
def test_a_role_that_ends_the_sentence_before_a_title_names_no_colleague(text, name):
    assert name not in redact(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Merci à l'inf. Mme Roy pour son aide avec le gabarit.", "Roy"),
        ("Demandé à la tech. Mme Caron de refaire le gabarit.", "Caron"),
        ("Pharm. Mme Diallo a corrigé la posologie dans Willow.", "Diallo"),
    ],
)
def test_an_abbreviated_role_before_a_title_still_names_a_colleague(text, name):
    assert name in redact(text)
