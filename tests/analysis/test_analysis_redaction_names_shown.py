"""Names shown, searched, misspelt or given as a nickname, and an address read from a record:
each is the patient's as much as the name on the chart, and a colleague's or a product's stays."""

import pytest

from feedback.analysis.redaction import redact


@pytest.mark.parametrize(
    ("text", "gone", "kept"),
    [
        # An address the record still shows is a home's, whatever system keeps it.
        ("The address in Meditech still says 77 Oak Street, Hudson.", ["77 Oak Street"], []),
        ("L'adresse au dossier est encore le 15 rue Dufresne.", ["15 rue Dufresne"], []),
        ("L'adresse du CLSC est le 300 rue King, local 12.", [], ["300 rue King"]),
        # What a person is called; a thing called so stays.
        ("La dame qu'on appelle Boubou crie la nuit.", ["Boubou"], []),
        ("The lady everyone calls Duchess refused her tray.", ["Duchess"], []),
        ("L'écran qu'on appelle Radar gèle encore.", [], ["Radar"]),
        # A name written wrong, and its other spelling.
        ("Dossier en double: Bouchard mal écrit (Boucharde).", ["Bouchard", "Boucharde"], []),
        ("Epic mal écrit dans le menu de la pharmacie.", [], ["Epic"]),
        ("Our clerk misspelled the patient's name.", [], ["Our clerk"]),
        # A surname of several words written another way.
        ("Pt Lina Abou Zeid introuvable, il fallait taper Abou-Zeid.", ["Abou-Zeid"], []),
        ("Mrs. Le Roux's chart was filed under Leroux.", ["Le Roux", "Leroux"], []),
        # A pet name made with "Ti-", unless thanks or a role place a colleague.
        ("Ti-Bob est revenu pour ses pansements.", ["Ti-Bob"], []),
        ("Merci à Ti-Bob de l'entretien pour la porte.", [], ["Ti-Bob"]),
        # A resident placed in a care home, named in parentheses.
        ("Resident at CHSLD Bellerive (Martel, Yvon) arrived without his meds.", ["Martel"], []),
    ],
)
def test_names_shown_go_and_look_alikes_stay(text, gone, kept):
    redacted = redact(text)
    for string in gone:
        assert string not in redacted, redacted
    for string in kept:
        assert string in redacted, redacted
