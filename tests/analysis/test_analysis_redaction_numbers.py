"""Addresses and chart numbers in the forms a rushed writer gives them: a street with no type,
the same home written twice, a chart number said "au téléphone", in groups after "c'est le"."""

import pytest

from feedback.analysis import redact


@pytest.mark.parametrize(
    ("text", "removed"),
    [
        # A hyphenated proper name is a street's, with an apartment or none.
        ("Le courrier est parti au 3390 Côte-Vertu #11 par erreur.", "3390 Côte-Vertu #11"),
        ("Adresse : 129 Saint-Zotique Ouest", "129 Saint-Zotique Ouest"),
        # A dwelling word right before makes a street of a word a dictionary knows.
        ("Il habite au 31 Wellington depuis l'été.", "31 Wellington"),
        ("He lives at 8 Bishop, his sister says.", "8 Bishop"),
        # An apartment named by its word makes any capitalised word after a number a street.
        ("Envoyer la lettre au 4417 Papineau, app 3.", "4417 Papineau, app 3"),
        # The same civic number again, the street written another way.
        ("Inscrit 7100 rue Saint-Urbain app 2, puis 7100 St-Urbain.", "7100 St-Urbain"),
        # A chart number after "au téléphone", "over the phone".
        ("On m'a lu son numéro de dossier au téléphone (662018).", "662018"),
        ("They asked for the MRN over the phone (4410932).", "4410932"),
        # A chart number in groups after "c'est le" and a site's letter.
        ("Son dossier c'est le M 0091 2283.", "0091 2283"),
    ],
)
def test_a_homes_address_and_a_chart_number_go(text, removed):
    assert removed not in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "Il reste 3 Tylenol dans le tiroir du chariot.",
        "Vers le 3 Mars, on change d'horaire.",
        "La réunion est au 1560 Sherbrooke Est, 4e étage, au bureau.",
        "Meeting at 200 Main Street, 3rd floor.",
        "Le numéro de chambre au téléphone (412) était faux.",
        "Le lot confirmé par téléphone (55123) était bon.",
        "Elle a appelé par téléphone, poste 4432.",
        "Chambre 12 Pavillon Lachapelle, le lit ne monte plus.",
    ],
)
def test_counts_rooms_lots_and_a_buildings_floor_stay(text):
    assert redact(text) == text
