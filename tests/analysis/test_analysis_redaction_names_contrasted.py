"""Relatives named beside the patient: a kin word misspelt by a swap of letters ("daugther"),
both parents named together after "parents", a son named first in a list of kin, an initial and
a surname after a patient's noun and a label's colon, a young patient told by an age after a
service's role, a name in parentheses after a patient's number, and the parents' bodies,
colleagues and things around them that must stay."""

import pytest

from feedback.analysis import redact

# --- A kin word misspelt by a swap of letters ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Mr Paquette's daugther (Ginette) asked for the visiting hours.", "Ginette"),
        ("daugther Maryse is the contact, she lives in Gatineau.", "Maryse"),
        ("Les daugthers (Line et Johanne) veulent une copie du dossier.", "Johanne"),
    ],
)
def test_a_relative_named_after_a_misspelt_kin_word_is_redacted(text, name):
    assert name not in redact(text)


# --- Both parents named after "parents" ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Parents (Kevin and Jessica) informed by Dr Wong.", ("Kevin", "Jessica")),
        ("Les parents (Éric et Isabelle) ont été avisés du retard.", ("Éric", "Isabelle")),
        ("her parents Dario and Sofia asked for an interpreter", ("Dario", "Sofia")),
    ],
)
def test_parents_named_together_are_redacted(text, names):
    out = redact(text)
    assert all(name not in out for name in names)


def test_the_colleague_who_informed_the_parents_stays():
    assert "Dr Wong" in redact("Parents (Kevin and Jessica) informed by Dr Wong.")


@pytest.mark.parametrize(
    "text",
    [
        "Comité de parents: Julie Roy présente le bilan.",
        "Réunion des parents avec Dr Tremblay demain.",
        "Parents informed by Nathalie at the front desk.",
    ],
)
def test_a_parents_body_and_the_colleagues_beside_parents_stay(text):
    assert redact(text) == text


# --- An initial and a surname after a patient's noun and a label's colon -------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Usager : P. Lavallée, la note de la TS ne s'affiche pas.", "Lavallée"),
        ("Patient: T. Nakamura, wrong allergy banner.", "Nakamura"),
        ("Bénéficiaire: G. Pelchat attend son transport.", "Pelchat"),
    ],
)
def test_an_initial_and_a_surname_after_a_patients_label_are_redacted(text, name):
    out = redact(text)
    assert name not in out and "[PATIENT]" in out


def test_an_initial_and_a_surname_after_a_colleagues_label_stay():
    text = "Pilote : S. Bérubé (TI) a corrigé le profil de l'usager."
    assert redact(text) == text


# --- A son named first in a list of kin ----------------------------------------------------------


def test_a_son_named_first_in_a_list_of_kin_is_redacted_even_when_a_word():
    out = redact("Mr Ruelland, son Chase & daughter-in-law Brooke present.")
    assert "Chase" not in out and "Brooke" not in out


def test_the_french_possessive_before_a_thing_stays():
    text = "Elle a perdu son Ipad et son Walkman au 3e."
    assert redact(text) == text


# --- A young patient told by an age after a service's role --------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Les notes de physio de Rémi Gagné (le jeune nageur, 15 ans) sont absentes.", "Gagné"),
        ("Speech therapy notes for Ava Lindqvist, 6 yo, went to another chart.", "Lindqvist"),
    ],
)
def test_a_young_patient_told_by_an_age_after_a_service_is_redacted(text, name):
    assert name not in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "L'inhalothérapeute Marc Tanguay, 32 ans, a aidé à la migration.",
        "L'infirmière Julie Morin (25 ans d'expérience) a formé l'équipe.",
    ],
)
def test_a_colleague_with_an_age_or_years_of_work_stays(text):
    assert redact(text) == text


# --- A name in parentheses after a patient's number ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Tox screen for client #C-77310 (Brandon) filed under another client.", "Brandon"),
        ("Résultats de l'usagère no 55-9031 (Ghislaine) introuvables.", "Ghislaine"),
    ],
)
def test_a_name_in_parentheses_after_a_patients_number_is_redacted(text, name):
    assert name not in redact(text)


def test_a_ticket_number_then_a_colleague_in_parentheses_stays():
    text = "Ticket 63001 (Dominique à la TI) toujours ouvert."
    assert redact(text) == text
