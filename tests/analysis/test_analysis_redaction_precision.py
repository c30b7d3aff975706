"""Staff texts that hold no patient identifier stay as they are: towns that are also names,
verb forms and ordinary words after a patient's noun, jargon, years that cannot be a birth.
"""

import pytest

from feedback.analysis.redaction import redact


@pytest.mark.parametrize(
    "text",
    [
        "Les prises de sang à Roberval se font encore sur papier.",
        "L'urgence de l'hôpital de Laval imprime des étiquettes illisibles.",
        "Le CLSC d'Alma attend toujours ses lecteurs.",
        "Au 3e de Roberval, la relève se fait au poste.",
        "Pharmacie Alma: deux ordonnances bloquées ce matin.",
        "The lab techs in Alma asked for a new label printer.",
        "Nurses at Roberval still chart on paper at night.",
        "Command centre, 04h10: Laval ED scanners down again.",
    ],
)
def test_a_town_that_is_also_a_name_stays_a_town(text):
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Mme Laval est tombée cette nuit.", "Laval"),
        ("Le patient Roberval refuse ses médicaments.", "Roberval"),
        ("La fille d'Alma a appelé pour avoir des nouvelles.", "Alma"),
        ("Mrs. Alma Tremblay, 84, was admitted to room 12.", "Alma"),
    ],
)
def test_a_town_named_by_a_title_or_a_patient_cue_is_still_a_name(text, name):
    assert name not in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "Le patient toussait depuis deux jours, la saturation tombait.",
        "La résidente mangeait peu, on a avisé la nutritionniste.",
        "Mes patientes patienteront, le système passe avant.",
        "Un bouton par patient simplifierait la double vérification.",
        "Nos patients attendaient leur congé depuis midi.",
        "The nurses swapped patients mid-morning because of the outage.",
        "Scanning fails on patient armbands printed on the old printer.",
        "Client driveways were icy, so home visits ran late.",
    ],
)
def test_verb_forms_plurals_and_compounds_after_a_patient_noun_are_no_names(text):
    assert redact(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "Access denied on a patient I'm not following anymore.",
        "A patient we've seen twice this week had no allergies listed.",
        "Cardio RNs chart vitals on the tablet now.",
        "Les MDs et les RNs ont eu la formation ensemble.",
        "Le vieux Kardex est encore dans le tiroir du poste.",
        "Le lecteur BCMA du 2e ne lit plus les bracelets.",
        "Noradré au lit 4 à 8 mcg/min, pompe qui alarme.",
        "The hemodialysis flowsheet hides the dry weight.",
    ],
)
def test_contractions_role_plurals_and_care_jargon_are_no_names(text):
    assert redact(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "Epic accepte un bébé né en 2061, personne ne l'a bloqué.",
        "The form let me save a patient born in 2075 without a warning.",
        "Quand la date est inconnue, on met 01/01/1900 dans le champ.",
        "Default DOB 1900-01-01 shows up on every unidentified trauma.",
        "Le poste ne répond pas au 24/7 depuis minuit.",
    ],
)
def test_a_birth_in_a_year_no_one_alive_was_born_or_a_negation_is_no_date_of_birth(text):
    assert redact(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "Mme Gagnon, née en 1938, refuse.",
        "DOB 03/11/1944 on the wristband.",
        "pt ne le 3 mars 1941",
    ],
)
def test_a_living_patients_birth_date_is_still_redacted(text):
    assert "[DATE DE NAISSANCE]" in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "Le souper de Noël a été servi à 17h sur toutes les unités.",
        "On ferme deux lits pendant le congé de Pâques.",
        "Calls: 6 for label printers, 3 for questions (discharge, AMA, transfer), 1 for access.",
        "Tickets : 4 pour les imprimantes à bracelets, 2 pour Rover (Grace, Hope).",
        "Epic has no field for a foster family or a host family.",
        'The dropdown lacks "foster parent" and "step grandmother".',
        "Il manque « famille d'accueil » dans la liste des liens.",
    ],
)
def test_feasts_device_talk_and_ordinary_words_after_an_article_are_no_names(text):
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Noël est tombé dans la salle de bain.", "Noël"),
        ("M. Noël refuse son bain.", "Noël"),
        ("Bracelets à refaire: Tremblay Jean, Gagnon Marie.", "Gagnon"),
    ],
)
def test_a_feasts_name_or_a_wristbands_list_still_names_a_patient(text, name):
    assert name not in redact(text)


def test_what_is_given_to_a_town_named_person_is_still_theirs():
    assert "Alma" not in redact("I gave the morning meds to Alma, who fell again at 3 a.m.")


@pytest.mark.parametrize(
    "text",
    [
        "Temps moyen par patient redescendu à 1 min.",
        "Délai par patient revenu à la normale depuis lundi.",
        "Chaque patient rebranché sur le moniteur a déclenché une alerte.",
        "Les patients prévenus ont attendu moins longtemps.",
    ],
)
def test_a_past_participle_after_a_patient_noun_is_no_name(text):
    assert redact(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "Imprimante du prélèvement, 1er étage : absente du poste 1-PREL-02.",
        "Au triage, le poste URG-14 gèle quand le patient arrive.",
        "Soins palliatifs : la pompe PAL-3 ne se connecte pas au dossier du patient.",
    ],
)
def test_a_word_hyphenated_to_digits_is_a_code_not_a_name(text):
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Le patient Perdu est tombé en 4.", "Perdu"),
        ("La patiente Brûlé est tombée cette nuit.", "Brûlé"),
        ("Mme Tremblay-Gagnon (ch 12) refuse son bain.", "Tremblay-Gagnon"),
    ],
)
def test_names_shaped_like_participles_or_hyphenated_still_go(text, name):
    assert name not in redact(text)
