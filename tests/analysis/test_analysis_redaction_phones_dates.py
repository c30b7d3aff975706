"""Whose a phone number is, a date of birth's second form, and capitals set apart before a
number."""

import pytest

from feedback.analysis import redact
from feedback.analysis.redaction import BIRTH_DATE, DOSSIER, PHONE


@pytest.mark.parametrize(
    "text",
    [
        # A foster family is the patient's own, whatever service its name holds ("accueil").
        "Tél famille d'accueil : (450) 555-3301.",
        "Call the foster parents at 613-555-0119 before discharge.",
        # An abbreviation of a thing names no service.
        "La patiente veut ses rappels de RDV par SMS au 438-555-0127.",
        # A service right after a patient noun says whose patient, not whose number.
        "Usager du CLSC Lachine : Paul Vézina, 514 555-0188, attend son rappel.",
        # A phone noun before a person's name, a service named sentences before.
        "Le DSI a fermé le billet. Tél de Huguette 819 555-0146.",
    ],
)
def test_a_patients_or_relatives_phone_goes(text):
    assert PHONE in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "Tél de Nicole 819 555-0153 (pilote DSN) pour les accès.",
        # The name went with a role earlier in the text.
        "Merci à la pilote Sonia Roy. Tél de Sonia 514 555-0101.",
        "Le service d'accueil répond au 418 555-0170.",
        "Appelez le soutien TI au 514 555-0161, RDV pris pour la formation.",
    ],
)
def test_a_services_or_colleagues_phone_stays(text):
    assert PHONE not in redact(text)


def test_the_hour_of_a_birth_stands_between_the_cue_and_the_date():
    assert redact("Né à 4h10 le 2 mars, transféré en néonat.").count(BIRTH_DATE) == 1


@pytest.mark.parametrize(
    "text",
    [
        "Née le 09/10/2023, pas le 10/09.",
        "DOB 2021-04-05, not 05/04 as printed on the band.",
        "Née à 23h59 le 28 février; l'agente l'a inscrite le 1er mars.",
        "Born at 11:59 pm on May 31, admitting entered her as June 1.",
    ],
)
def test_a_birth_dates_second_form_goes_too(text):
    assert redact(text).count(BIRTH_DATE) == 2


def test_a_date_after_a_birth_date_that_dates_a_visit_stays():
    assert "14 mai" in redact("Née le 3 juin 1941, vue le 14 mai en clinique.")


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Note SU 2024-05-14 : la patiente attendait un lit.", "2024-05-14"),
        ("Audit HSCM 2023-10-02 des ordonnances.", "2023-10-02"),
    ],
)
def test_a_date_after_a_word_in_capitals_is_no_chart_number(text, kept):
    assert kept in redact(text)


@pytest.mark.parametrize(
    ("text", "site"),
    [
        ("Dossier CHUL 8871230 de la patiente.", "CHUL"),
        ("MRN JGH 2233109 for the patient.", "JGH"),
    ],
)
def test_a_sites_acronym_before_a_chart_number_stays(text, site):
    redacted = redact(text)
    assert site in redacted and DOSSIER in redacted
