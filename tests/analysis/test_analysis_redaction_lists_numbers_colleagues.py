"""Redaction of patients named in a pharmacy's or a lab's "LAST, First", a youth named by the
article and "jeune", a patient's self-introduction in quotes, a couple's given names set against
each other, a relative's office line; and what stays: a hospital a transfer leaves, a colleague
placed by the front desk, helped with another's chart or assigned a forwarded message."""

import pytest

from feedback.analysis import redact

# --- "LAST, First" and the chart number after it --------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Pharm note: verified Eliquis for KHAN, Imran; weight outdated.",
            "Pharm note: verified Eliquis for [PATIENT]; weight outdated.",
        ),
        (
            "Pharmacie : validé Xarelto pour BOUCHARD, Gilles ; dose ajustée.",
            "Pharmacie : validé Xarelto pour [PATIENT] ; dose ajustée.",
        ),
        (
            "Lab: critical sodium for MORIN-LEE, Ana, 0-4411872. Dr Patel aware.",
            "Lab: critical sodium for [PATIENT], [DOSSIER]. Dr Patel aware.",
        ),
    ],
)
def test_last_first_after_a_clause_behind_a_header_is_a_patient(text, expected):
    assert redact(text) == expected


def test_a_list_of_trainers_after_a_header_stays():
    text = "Formateurs : Dre Roy et GAGNON, Isabelle"
    assert redact(text) == text


# --- A youth, a self-introduction, a couple -------------------------------------------------


@pytest.mark.parametrize(
    "text, name",
    [
        ("La TS ne voit pas les notes pour le jeune Thomas B.", "Thomas"),
        ("The worker cannot open notes for the young Aiden since Monday.", "Aiden"),
    ],
)
def test_a_youth_called_by_the_article_and_young_is_a_patient(text, name):
    assert name not in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "le jeune stagiaire Marc Roy a aidé au poste.",
        "Le jeune Marc de l'informatique est venu réparer l'imprimante.",
    ],
)
def test_a_young_colleague_stays(text):
    assert redact(text) == text


@pytest.mark.parametrize(
    "text, name",
    [
        ("The patient refused a DOB, only said 'I'm Tommy from up north'.", "Tommy"),
        ("La patiente a seulement dit « moi c'est Ginette ».", "Ginette"),
        ("Sa fille : « Bonjour, je m'appelle Nathalie, je veux des nouvelles ».", "Nathalie"),
    ],
)
def test_a_patient_or_relative_introducing_themselves_in_quotes_is_redacted(text, name):
    assert name not in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        'The new clerk said "I\'m Kevin from admitting" and fixed it.',
        'The patient was told "I\'m Julie, your nurse tonight".',
    ],
)
def test_a_colleague_introducing_themselves_stays(text):
    assert redact(text) == text


def test_the_given_names_of_a_couple_of_patients_are_redacted():
    assert redact("M. et Mme Szabo ont les mêmes noms à l'écran sauf Ferenc / Ilona.") == (
        "M. et Mme [PATIENT] ont les mêmes noms à l'écran sauf [PATIENT] / [PATIENT]."
    )


def test_colleagues_thanked_beside_a_couple_stay():
    text = "M. et Mme Roy ont eu les mauvais plateaux. Merci Julie / Marc."
    assert "Julie / Marc" in redact(text)


# --- A relative's office line -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, number",
    [
        ("Mme Roy veut qu'on rappelle sa fille au bureau, 819 555-4410 poste 223.", "819 555-4410"),
        ("Please call his son at the office, 613 555-0188 ext 41, not at home.", "613 555-0188"),
    ],
)
def test_a_relatives_office_line_is_redacted(text, number):
    assert number not in redact(text)


def test_a_service_office_line_stays():
    text = "Appeler le soutien TI au bureau, 514 555-4410 poste 2231."
    assert redact(text) == text


# --- Places and colleagues that stay ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Transfert de Fleury vers Maisonneuve-Rosemont, le dossier n'a pas suivi.",
        "Le transfert de Cabrini à Notre-Dame a pris 6 heures.",
        "Mme Nakamura, de la réception de l'Hôpital de Verdun, a signalé une panne.",
        "M. Desjardins, des admissions, a signalé que les bracelets sortent en double.",
        "J'ai aidé Sophie avec le dossier de Sophie Lemay.",
        "Message: 'My mother was discharged without her list.' Assigned to Anne-Marie Leduc.",
    ],
)
def test_places_and_colleagues_stay(text):
    out = redact(text)
    for kept in ("Fleury", "Cabrini", "Nakamura", "Desjardins", "Sophie avec", "Anne-Marie Leduc"):
        if kept in text:
            assert kept in out


@pytest.mark.parametrize(
    "text, name",
    [
        ("Le transfert de Mme Fleury vers Maisonneuve-Rosemont est prévu demain.", "Fleury"),
        ("Le transfert de Tremblay vers l'USI s'est fait sans le MAR.", "Tremblay"),
        ("J'ai aidé Sophie avec le dossier de Sophie Lemay.", "Lemay"),
    ],
)
def test_the_patient_beside_them_is_still_redacted(text, name):
    assert name not in redact(text)
