"""Relatives named by their kin or by what they do for the patient, names changed or chosen for
a baby, and nicknames a text ties to a named patient; and the look-alikes that stay."""

import pytest

from feedback.analysis.redaction import PATIENT, redact


@pytest.mark.parametrize(
    ("text", "identifiers"),
    [
        # A son after the possessive of a name ending in "s".
        ("Mrs Karras' son Dimitri brought the pill box.", ["Karras", "Dimitri"]),
        # A relative who calls about someone names them.
        ("sa conjointe Martine a appelé pour Gaétan, il est parti.", ["Martine", "Gaétan"]),
        ("His daughter called about Tariq, the band shows the wrong bed.", ["Tariq"]),
        # A name the text then says is a patient's relative, whatever the title.
        ("Called Rev. Paul Désir back, he's the pt's cousin.", ["Paul Désir"]),
        ("Rappelé Marc Giroux, c'est le frère de la patiente.", ["Marc Giroux"]),
        # A relative bearing the patient's surname, in lower case.
        ("mr. okafor fell, call his wife grace okafor", ["okafor"]),
        # The owner of a told name.
        ("she says dylan's last name is spelled Perreault.", ["dylan", "Perreault"]),
        # A name changed or chosen for a baby.
        ("the chart name should have been updated to Chloé after registration", ["Chloé"]),
        ("le prénom qu'elle a choisi, Wapan, ne passe pas dans le champ", ["Wapan"]),
        # A given name set off by a dash before what the patient goes by.
        ("Mr. Silva — Joaquim, goes by 'Quim' — was scanned twice.", ["Silva", "Joaquim", "Quim"]),
        # Nicknames tied to a named patient.
        ("Who is 'Buddy'? It's the nickname for Mr. Lalonde in 3.", ["Buddy", "Lalonde"]),
        ("Saw Lulu (the staff nickname for Mme Lucienne Roy) today.", ["Lulu", "Lucienne Roy"]),
        ("Stop calling her 'Cookie', her name is Mrs. Cook.", ["Cookie"]),
        ("Baby 'Bean' in pod A (real name Alix Morin) is doing well.", ["Bean", "Alix Morin"]),
    ],
)
def test_relatives_and_nicknames_are_redacted(text, identifiers):
    redacted = redact(text)
    assert PATIENT in redacted
    for identifier in identifiers:
        assert identifier not in redacted


@pytest.mark.parametrize(
    "text",
    [
        "son fils a appelé pour parler à l'infirmière Karine.",
        "sa fille a appelé pour Noël, elle veut savoir pour les visites.",
        "Talked to Mélanie Roy, she's the pt's nurse tonight.",
        "Dr. Leclerc's last name is misspelled in the directory.",
        "The tab name was changed to Orders after the upgrade.",
        "Le nom du module a été changé pour Cadence.",
        "I called 'Epic support' twice before noon.",
        "We renamed the huddle board 'Sunny side' for fun.",
    ],
)
def test_look_alikes_stay(text):
    assert redact(text) == text


def test_a_thing_quoted_beside_a_tied_nickname_stays():
    text = "« Mimi », c'est le surnom de Mme Desrosiers. Le bouton « Signer » plante."
    redacted = redact(text)
    assert "Mimi" not in redacted
    assert "« Signer »" in redacted


def test_a_colleague_addressed_after_a_dash_stays():
    assert "Julie" in redact("Mr. Peterson — Julie, can you check his MAR?")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # An English son in a list of relatives or after a comma, before an English verb.
        ("Pt Mr Petrenko, 7 Ouest, son Dmitri requested a copy of records.", "Dmitri"),
        ("Family meeting for Mrs. Obi: son Chidi and daughter Ngozi attending.", "Chidi"),
        ("Mrs Kowalski, son Tadeusz will bring her glasses.", "Tadeusz"),
        # After a possessive, a son's name that a dictionary also lists.
        ("I am her son Paulo, you can reach me at the unit.", "Paulo"),
        ("His son Gerry says she takes metformin at home.", "Gerry"),
        # A former spouse is still a relative.
        ("Mme Blanchette demande pourquoi son ex-mari Normand est encore contact.", "Normand"),
        ("Her ex-husband Brent keeps calling the desk about her.", "Brent"),
    ],
)
def test_a_son_or_a_former_spouse_named_is_a_relative(text, name):
    assert name not in redact(text)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # The French possessive before a capitalised thing.
        ("Mme Roy a refusé, son Dilaudid était en retard.", "Dilaudid"),
        ("Le patient a perdu son Rover, retrouvé au poste.", "Rover"),
        # Where the son is, in parentheses.
        ("The son (Georgia) called the unit twice.", "Georgia"),
    ],
)
def test_a_french_possessive_or_a_sons_whereabouts_stay(text, kept):
    assert kept in redact(text)
