"""Patients named where the sentence shows it, whatever the name's words: after a naming verb,
an initial and a surname after a patient's noun, a name set apart after a chart number, the
owner of a thing set against a patient, a name registered wrong, surnames a board shows, the
name again in another script or in quotes, a child said with an age then named."""

import pytest

from feedback.analysis.redaction import redact


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("We had a patient named Autumn Leaf in recovery tonight.", "Autumn Leaf"),
        ("Une patiente prénommée Aube Rivard a reçu le plateau d'une autre.", "Aube Rivard"),
        ("A client called Honey Bee missed her appointment.", "Honey Bee"),
        ("Client T. Weinberg's safety plan was blank after the upgrade.", "Weinberg"),
        ("L'usagère N. Lapointe a reçu deux fois son Coversyl.", "Lapointe"),
        ("MRN 00331245 — Germaine Dubé — home meds missing.", "Germaine Dubé"),
        ("Dossier 00442211 – Réjean Lavoie – la liste de médicaments est vide.", "Réjean Lavoie"),
        ("The armband scanned was Tariq's, not Mrs. Levin's.", "Tariq"),
        ("Le bracelet était celui de Fortin, pas celui de M. Pagé.", "Fortin"),
        ("Madame Ginette Poirier a été enregistrée Poiriez à l'accueil.", "Poiriez"),
        ("Epic montrait encore Hébert, Simard, Lavallée qui avaient eu leur congé.", "Simard"),
        ("The board still showed Kowalski, Brennan and Osei after discharge.", "Brennan"),
        ("Patient Chen Jie (陈杰) — the label printed boxes.", "陈杰"),
        ("Pt Faith Moon; Epic search for 'moon' gave 80 charts.", "moon"),
        ("Baby of 10 days, Juniper Hale, was readmitted for jaundice.", "Juniper Hale"),
        ("Bébé de 3 semaines, Isla Gagnon, revue pour la pesée.", "Isla"),
    ],
)
def test_a_patient_named_where_the_sentence_shows_it_is_removed(text, name):
    assert name not in redact(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("A nurse named April helped me with the order set.", "April"),
        ("The patient named in the complaint was not on our unit, says Carole.", "Carole"),
        ("Merci à Denise Paquette, la pharmacienne, pour la liste.", "Denise Paquette"),
        ("Le document est enregistré OACIQ dans le dossier partagé.", "OACIQ"),
        ("Epic listed Roy, Caron, Dufour as the nurses on shift.", "Caron"),
        ("Thanks to Ken Watanabe (IT) for the fix.", "Ken Watanabe"),
        ("The 'best' practice alert fired for everyone on 5 North.", "best"),
        ("Bébé de 2 mois, Dre Gagnon, pédiatre, a revu le poids.", "Dre Gagnon"),
        ("Patiente de 70 ans, Urgence, bloquée sur civière.", "Urgence"),
        ("The patient called Telus twice about her bill.", "Telus"),
    ],
)
def test_the_same_words_naming_no_patient_are_kept(text, name):
    assert name in redact(text)
