"""Relatives and callers: kin words in Spanish and Portuguese, a relative who asks to be called
back, a caller then said to be a caregiver or who speaks of their own relative, a parent's noun
opening a sentence of a child's story, a name entered as the patient's, lower-case names of
patients, and the colleagues and chaplains beside them that must stay."""

import pytest

from feedback.analysis import redact

# --- Kin words of a family that speaks Spanish or Portuguese ------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Mme Souza au 3e, hija Valentina traduit pour elle.", "Valentina"),
        ("Mr. Duarte's filho Rafael brought the home meds.", "Rafael"),
        ("M. Ortega, esposa Pilar sur place pour le consentement.", "Pilar"),
    ],
)
def test_a_relative_named_after_a_spanish_or_portuguese_kin_word_is_redacted(text, name):
    assert name not in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "Dra. Nieto a revu la liste des ordonnances.",
        "Irma Bélanger de la pharmacie a recompté le chariot.",
    ],
)
def test_surnames_and_names_shaped_like_kin_words_stay(text):
    assert redact(text) == text


# --- A relative who asks to be called back, or is said to be a caregiver ------------------------


def test_who_asks_to_be_called_back_names_themself():
    out = redact("Family wrote: 'please call me, Anouk, at anouk.m@gmail.com about mom'.")
    assert "Anouk" not in out
    out = redact("Message : « rappelez-moi, Ghislain, au 819 555-0148 pour papa ».")
    assert "Ghislain" not in out


def test_a_name_called_back_then_said_to_be_a_caregiver_is_a_relatives():
    out = redact("Called Marguerite back. She's the caregiver for Mr. Olsen (her uncle).")
    assert "Marguerite" not in out and "Olsen" not in out


def test_a_colleague_called_back_then_given_a_role_stays():
    text = "Called Kwame back. He's the super-user for 6 West."
    assert redact(text) == text


# --- A caller who speaks of their own relative --------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Réjean a appelé : sa femme, Colette Primeau, attend son taxi depuis 3h.",
        "Anjali called - her father, Vikram Shah, missed his dialysis ride.",
    ],
)
def test_a_caller_who_then_names_their_relative_is_a_relative(text):
    out = redact(text)
    assert out.count("[PATIENT]") == 2


@pytest.mark.parametrize(
    "text",
    [
        "Réjean a appelé le soutien TI pour son mot de passe.",
        "Dre Ouimet a appelé: son patient du lit 4 est prêt.",
    ],
)
def test_a_caller_who_speaks_of_no_relative_stays(text):
    assert redact(text) == text


# --- A parent's noun opening a sentence of a child's story --------------------------------------


def test_a_parent_opening_a_sentence_of_a_childs_story_is_redacted():
    out = redact("Petit Félix, 3 ans, otite. Mère Nancy Bergeron, pas de carte RAMQ.")
    assert "Nancy Bergeron" not in out
    out = redact("Baby Ava, 5 weeks, fever. Father Darnell Brooks, no health card.")
    assert "Darnell Brooks" not in out


@pytest.mark.parametrize(
    ("text", "priest"),
    [
        (
            "Petite Léa, 4 ans, en soins palliatifs. Père Gilles Tremblay est venu la bénir.",
            "Père Gilles Tremblay",
        ),
        ("M. Roy, 82 ans, en fin de vie. Père Gilles Tremblay est passé.", "Père Gilles Tremblay"),
        (
            "Le petit Noah, 2 ans, pleurait. Le père Lucien Gagné, aumônier, l'a consolé.",
            "Lucien Gagné",
        ),
    ],
)
def test_a_priest_beside_a_child_or_a_patient_stays(text, priest):
    assert priest in redact(text)


# --- A name entered as the patient's ------------------------------------------------------------


def test_a_relatives_name_entered_as_the_patient_is_redacted():
    out = redact("Infant, 2 mo; dad's name Ricardo Alves entered as the patient. Please fix.")
    assert "Ricardo Alves" not in out


# --- A sentence closes with its quotation -------------------------------------------------------


def test_a_colleague_assigned_after_a_quoted_family_message_stays():
    text = "Forwarded: 'My wife was discharged without her meds.' Assigned to Karine Poulin."
    assert "Karine Poulin" in redact(text)


# --- A floor and a wing -------------------------------------------------------------------------


def test_a_colleague_in_a_unit_named_by_floor_and_wing_stays():
    assert "Angela" in redact("Mrs. Baker fell at 0200. Angela in 7S laughed about the alarm.")
    assert "Rosalind" not in redact("Rosalind in 12B keeps pulling at her IV line.")


# --- Lower-case names of patients ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("pt kiki wong (Wong Ka Yan) arrived without an interpreter.", "kiki wong"),
        ("Pt fred (Frederick Kosinski) left AMA at 22h.", "fred"),
        ("j'ai appelé rolande pour lui dire que son rdv en ortho est reporté.", "rolande"),
        ("I called vernon to tell him his MRI was moved.", "vernon"),
    ],
)
def test_a_lower_case_name_of_a_patient_is_redacted(text, name):
    assert name not in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "pt confused (Harold Benson) pulled out his catheter.",
        "j'ai appelé julie pour lui dire que son badge fonctionne.",
    ],
)
def test_a_lower_case_word_that_is_no_name_stays(text):
    assert text.split(" (")[0].split(" pour")[0] in redact(text)
