"""Redaction of identifiers typed in ways the shape grammars and cues must generalise to
(separators, lower-case names of any origin, cues a clause or a list away), and what must
stay beside them."""

import pytest

from feedback.analysis import redact

# --- RAMQ numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "TREM - 4512 - 1803",
        "TREM  4512  1803",
        "TREM:4512:1803",
        "trem·4512·1803",
        "TrEm. 4512. 1803",
        "TREM 451218-03",
        "tr em 45 12 18 03",
    ],
)
def test_ramq_numbers_with_unusual_separators_are_redacted(number):
    assert redact(f"carte RAMQ {number} scannée au mauvais dossier") == (
        "carte RAMQ [RAMQ] scannée au mauvais dossier"
    )


@pytest.mark.parametrize(
    "text",
    ["Lits : 4512 1803 et 4512 1804", "pour 12 345 678 clics", "Total 2024: 5203 1211"],
)
def test_a_word_before_numbers_set_apart_is_no_ramq_number(text):
    assert redact(text) == text


# --- E-mail addresses written out ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "patient's wife email jroy[@]hotmail.com for the portal",
            "patient's wife email [COURRIEL] for the portal",
        ),
        ("courriel de la fille: m.roy (@) videotron.ca", "courriel de la fille: [COURRIEL]"),
        ("le fils: denis{@}sympatico", "le fils: [COURRIEL]"),
        # A service's mailbox stays however its "@" is written.
        ("écrire à soutien[@]santequebec.ca", "écrire à soutien[@]santequebec.ca"),
        ("écrire à soutien(at)santequebec.ca", "écrire à soutien(at)santequebec.ca"),
    ],
)
def test_addresses_with_the_at_sign_in_brackets(text, expected):
    assert redact(text) == expected


# --- Names in lower case, of any origin ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("siosaia fifita a encore arraché son soluté", "[PATIENT] a encore arraché son soluté"),
        ("ce matin tevita tadesse est tombée", "ce matin [PATIENT] est tombée"),
        ("yaw boateng refuse sa prise de sang", "[PATIENT] refuse sa prise de sang"),
    ],
)
def test_two_unlisted_words_before_what_only_a_patient_goes_through_are_a_name(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "le lecteur zebra refuse de scanner",
        "le logiciel omnicell refuse mon code",
        "la pompe alaris est tombée en panne",
        "le pt dit que l'app mychart refuse son mot de passe",
    ],
)
def test_products_before_a_refusal_stay(text):
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "le bonhomme au 22, gilles, veut pu manger",
            "le bonhomme au 22, [PATIENT], veut pu manger",
        ),
        (
            "the guy in 12, Darnell, keeps pulling his IV",
            "the guy in 12, [PATIENT], keeps pulling his IV",
        ),
        ("la dame du 4 (Yvonne) refuse son bain", "la dame du 4 ([PATIENT]) refuse son bain"),
    ],
)
def test_a_name_in_apposition_to_someone_in_a_bed_is_a_patients(text, expected):
    assert redact(text) == expected


def test_a_surname_that_is_also_a_word_on_a_bed_board_is_redacted():
    assert redact("Tournée 5e: 501 - cloutier r. / 502 - fontaine g. / 503 - vide") == (
        "Tournée 5e: 501 - [PATIENT] / 502 - [PATIENT] / 503 - vide"
    )


# --- Relatives' phone numbers a clause away from their owner -----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "le fils est passé porter des vêtements pis il a laissé le 514 555 0188 au poste",
        "L'épouse du patient en 6 demande un rappel ce soir — 581 555 0133.",
        "Son père l'a déposée à l'urgence. Numéro : 450 555 0183",
        "Notes: niece (POA) 514 555 0197",
        "Family is aware. Preferred contact 450 555 0176.",
    ],
)
def test_a_relatives_number_a_clause_away_is_redacted(text):
    assert "[TÉLÉPHONE]" in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "porter on 4 West, call 514 555 0100",
        "Problème à l'urgence. Soutien : 514 555 0100",
        "Il faut appeler au soutien. 514 555 0100",
        "Urgence (CSTI) 514 555 0100",
        "Problème Epic? Contact: 514 555 0100",
    ],
)
def test_a_services_number_stays(text):
    assert redact(text) == text


# --- Dates of birth with a two-digit year and no cue --------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("ddn 14/03/47 et sa sœur 02 05 49", "02 05 49"),
        ("pt 14/3/'47 en 12", "14/3/'47"),
        ("Mr Li, Mar 14 47, fell", "Mar 14 47"),
    ],
)
def test_two_digit_year_dates_in_other_shapes_are_redacted(text, date):
    redacted = redact(text)
    assert date not in redacted and "[DATE DE NAISSANCE]" in redacted


@pytest.mark.parametrize(
    "text",
    ["de 08 10 30 patients", "Jan 12 45 min d'attente", "Le 12 05 26 on a eu une panne"],
)
def test_counts_times_and_recent_dates_in_those_shapes_stay(text):
    assert redact(text) == text


# --- Newborns and siblings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bébé nakamura en néo", "bébé [PATIENT] en néo"),
        ("bb fille blanchette pas de bracelet", "bb fille [PATIENT] pas de bracelet"),
        ("jumeaux Lévesque: Noah et Liam", "jumeaux [PATIENT]: [PATIENT] et [PATIENT]"),
        ("le bébé va bien, bébé dort", "le bébé va bien, bébé dort"),
        ("Formateurs : Julie et Marc", "Formateurs : Julie et Marc"),
    ],
)
def test_newborns_named_in_lower_case_and_siblings_listed_together(text, expected):
    assert redact(text) == expected


# --- Kinds seen on a set written after the changes above ---------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "le patient mathieusie ittukallak attend son transfert",
            "le patient [PATIENT] attend son transfert",
        ),
        ("usager tadesse bekele en 4", "usager [PATIENT] en 4"),
        ("« ottawa, lucie » sur l'étiquette", "« [PATIENT] » sur l'étiquette"),
        (
            "DDN 23-06-41 sur le bracelet, 23-06-14 dans Epic",
            "DDN [DATE DE NAISSANCE] sur le bracelet, [DATE DE NAISSANCE] dans Epic",
        ),
    ],
)
def test_names_after_a_patients_noun_quoted_fields_and_a_birth_date_mistyped(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("le patient agité bekele", "le patient agité bekele"),
        ("« Merci, Julie »", "« Merci, Julie »"),
        ("elle m'a dit « Désolée, Marie »", "elle m'a dit « Désolée, Marie »"),
        (
            "« Attention, Denise » a dit la gestionnaire",
            "« Attention, Denise » a dit la gestionnaire",
        ),
        ("'Lévis, Marc' (formateur)", "'Lévis, Marc' (formateur)"),
        ("ddn 14/03/47 ; go-live le 15/03/27", "ddn [DATE DE NAISSANCE] ; go-live le 15/03/27"),
        (
            "Le CHSLD Saint-Antoine a appelé pour le transfert, 418 555 0199 poste 210",
            "Le CHSLD Saint-Antoine a appelé pour le transfert, 418 555 0199 poste 210",
        ),
        (
            "La pharmacie a appelé, rappeler au 450 555 0100",
            "La pharmacie a appelé, rappeler au 450 555 0100",
        ),
    ],
)
def test_words_thanks_colleagues_events_and_callers_that_are_services_stay(text, expected):
    assert redact(text) == expected


def test_a_chart_number_shaped_like_a_date_with_no_real_year_is_redacted():
    assert redact("dossier # 11-20-4455 fusionné") == "dossier # [DOSSIER] fusionné"
    assert redact("dossier du 12-03-2026 en retard") == "dossier du 12-03-2026 en retard"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LITS : 602 BALDE MARIAMA / 603 LÊ VĂN AN", "LITS : 602 [PATIENT] / 603 [PATIENT]"),
        (
            "CHAMBRES : 301 LE LIT EST VIDE / 302 TREMBLAY JEAN",
            "CHAMBRES : 301 LE LIT EST VIDE / 302 [PATIENT]",
        ),
    ],
)
def test_vietnamese_names_on_a_board_in_capitals_keep_their_short_parts(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("« Tremblay, Julie » (pilote) m'a aidée", "« Tremblay, Julie » (pilote) m'a aidée"),
        ("'PELLETIER, G.' (chef de service)", "'PELLETIER, G.' (chef de service)"),
        ("« Tremblay, Julie » (chambre 4) est tombée", "« [PATIENT] » (chambre 4) est tombée"),
    ],
)
def test_a_role_after_the_quotes_that_close_a_name_makes_it_a_colleagues(text, expected):
    assert redact(text) == expected
