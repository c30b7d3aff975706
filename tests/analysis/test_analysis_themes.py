import pytest

from feedback.analysis import Analyser, analyse


def codes(text: str, analyser: Analyser | None = None) -> set[str]:
    result = analyser.analyse(text) if analyser else analyse(text)
    return {theme.code for theme in result.themes}


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("Mon mot de passe expire chaque semaine et le badge ne passe pas.", "access"),
        ("my password expired again and the badge tap doesnt work", "access"),
        ("le systeme gele pis plante aux dix minutes", "access"),
        ("La formation en ligne était trop courte, on n'a rien pratiqué.", "training"),
        ("Nobody showed us how to document a restraint, the class skipped it.", "training"),
        ("Trop de clics et de double saisie, je finis mes notes après mon quart.", "workflow"),
        ("We still fax referrals and re-enter everything by hand.", "workflow"),
        (
            "Le gabarit de note de congé n'a pas le champ pour les rendez-vous de suivi.",
            "configuration",
        ),
        (
            "The order set defaults to the wrong dose and the label printer cuts the barcode.",
            "configuration",
        ),
        (
            "Les superutilisateurs ont été présents à chaque quart, un soutien extraordinaire.",
            "support",
        ),
        ("I opened a ticket with the help desk a week ago and nobody called back.", "support"),
        (
            "On a failli donner une double dose, l'erreur de médication a été évitée de justesse.",
            "safety",
        ),
        ("Near miss: the wrong patient chart was open and an allergy was missed.", "safety"),
        ("L'équipe est épuisée et démotivée, le moral est à terre.", "engagement"),
        ("So proud of my team, great team spirit through the whole go-live.", "engagement"),
    ],
)
def test_each_theme_in_french_and_english(text, theme):
    assert theme in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Le mot de pase expirre tout le temps et le sisteme est tres lent.",
        "La formaton etait trop courte, pas assez de pratique.",
    ],
)
def test_typos_and_missing_accents_still_match(text):
    assert codes(text) & {"access", "training"}


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        (
            "Le patient présente une formation d'un caillot au mollet, anticoagulation débutée.",
            "training",
        ),
        ("L'accès à la cafétéria se fera par l'entrée principale pendant les travaux.", "access"),
        ("Le support à soluté de la chambre 12 est brisé.", "support"),
        (
            "En soutien à domicile, les intervenantes documentent maintenant pendant la visite.",
            "support",
        ),
        ("The ultrasound showed early clot formation in the leg.", "training"),
        # Split at its hyphen, "Wi-Fi" would end in "fi", the stem of "fier" (proud).
        ("Wi-Fi en panne", "engagement"),
    ],
)
def test_false_friends_do_not_count(text, theme):
    assert theme not in codes(text)


def test_weather_and_parking_have_no_theme():
    assert codes("Il neige encore et le stationnement P2 est plein.") == set()


def test_extra_terms_add_a_new_theme():
    text = "Le stationnement des employés est plein dès sept heures."
    assert "parking" not in codes(text)
    analyser = Analyser(extra_terms={"parking": ["stationnement", "parking lot"]})
    assert "parking" in codes(text, analyser)
    assert "parking" in codes("The parking lot is full again.", analyser)


def test_extra_terms_extend_an_existing_theme():
    text = "Le Kardex électronique est illisible pour les préposées."
    assert "configuration" not in codes(text)
    assert "configuration" in codes(text, Analyser(extra_terms={"configuration": ["kardex"]}))


def confidence(text: str, code: str, analyser: Analyser) -> float | None:
    return next((t.confidence for t in analyser.analyse(text).themes if t.code == code), None)


def test_an_admin_keyword_on_an_existing_theme_tags_the_text():
    text = "Code bleu au 3e cet après-midi, tout le monde est arrivé en deux minutes."
    assert "safety" not in codes(text)
    analyser = Analyser(extra_terms={"safety": ["code bleu"]})
    assert confidence(text, "safety", analyser) >= 0.6
    # Matched like lexicon terms: case, accents and a simple plural do not matter.
    plural = "Deux CODES BLEUS cette nuit à l'étage, l'équipe était prête."
    assert confidence(plural, "safety", analyser) >= 0.6
    english = Analyser(extra_terms={"support": ["Café-rencontre"]})
    assert "support" in codes("The cafe rencontre on Tuesday was full.", english)


def test_an_admin_keyword_does_not_tag_a_text_without_it():
    analyser = Analyser(extra_terms={"safety": ["code bleu"]})
    text = "Il neige encore et le stationnement P2 est plein."
    assert codes(text, analyser) == set()
    door = "Le code de la porte a changé."
    assert codes(door, analyser) == codes(door)


def test_empty_extra_terms_change_nothing():
    texts = [
        "Trop de clics et de double saisie, je finis mes notes après mon quart.",
        "Le gabarit de note de congé n'a pas le champ pour les rendez-vous de suivi.",
        "Code bleu au 3e cet après-midi.",
    ]
    for extra in ({}, {"safety": []}, {"safety": ["  "]}):
        analyser = Analyser(extra_terms=extra)
        assert [analyser.analyse(text) for text in texts] == [analyse(text) for text in texts]


def test_active_themes_filter_the_output():
    text = "Mot de passe expiré et la formation était trop courte."
    assert {"access", "training"} <= codes(text)
    assert codes(text, Analyser(active_themes={"training"})) == {"training"}


def test_themes_are_sorted_by_confidence():
    result = analyse(
        "Le système plante, la formation était nulle et les superutilisateurs sont partis."
    )
    confidences = [theme.confidence for theme in result.themes]
    assert len(confidences) >= 2
    assert confidences == sorted(confidences, reverse=True)
    assert all(0.0 <= confidence <= 1.0 for confidence in confidences)
