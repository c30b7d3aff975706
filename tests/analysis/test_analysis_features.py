"""The features bags of words miss, and what the pipeline makes of them."""

import pytest

from feedback.analysis import Analyser, analyse
from feedback.analysis.features import Features, contrast_start, length_bucket, with_kind
from feedback.analysis.reading import FeatureReader


@pytest.fixture(scope="module")
def reader() -> FeatureReader:
    return FeatureReader()


def features(reader: FeatureReader, text: str, kind: str | None = None) -> dict[str, float]:
    return reader.read(text, kind).features


def label(text: str, kind: str | None = None) -> str:
    return analyse(text, kind).sentiment.label


# Negation scope, including the "ne" Québec French drops.


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("Ça marche pas depuis hier.", "n:march"),
        ("chu pas capable de me connecter", "n:capabl"),
        ("Le lecteur ne fonctionne pas.", "n:fonction"),
        ("The scanner is not working.", "n:work"),
        ("L'imprimante fonctionne plus.", "n:fonction"),
    ],
)
def test_words_in_the_scope_of_a_negation_are_marked(reader, text, negated):
    found = features(reader, text)
    assert negated in found
    assert found["q:negation"] > 0


def test_a_dropped_ne_is_a_cue_of_its_own(reader):
    assert features(reader, "Le tap-in marche pas.")["q:dropped_ne"] > 0
    assert "q:dropped_ne" not in features(reader, "Le tap-in ne marche pas.") or (
        features(reader, "Le tap-in ne marche pas.")["q:dropped_ne"] == 0
    )


def test_negation_stops_at_punctuation(reader):
    found = features(reader, "Pas de souci. La formation était excellente.")
    assert "n:excellent" not in found


@pytest.mark.parametrize(
    "text",
    ["ça marche pas", "Le badge marche pas pantoute.", "chu pas capable d'ouvrir le dossier"],
)
def test_dropped_ne_reads_as_negative(text):
    assert label(text) == "negative"


# The clause after "mais / but" weighs more.


def test_the_clause_after_but_has_features_of_its_own(reader):
    found = features(reader, "La formation était bonne, mais le système plante sans arrêt.")
    assert "m:plant" in found and "m:format" not in found
    assert found["q:contrast"] == 1.0
    assert "pat:after_polarity" in found


@pytest.mark.parametrize(
    ("tokens", "start"),
    [
        (("bon", "mais", "lent"), 2),
        (("good", "but", "slow", "but", "fine"), 4),
        (("ok", "sauf", "que", "lent"), 3),
        (("ok", "par", "contre", "lent"), 3),
        (("rien",), 1),
    ],
)
def test_contrast_start(tokens, start):
    assert contrast_start(tokens) == start


@pytest.mark.parametrize(
    "text",
    [
        "La formation était bien faite, mais sur le plancher je ne sais toujours pas comment "
        "faire une ordonnance et personne ne peut m'aider.",
        "Good idea on paper, but the new discharge screens cost me an hour every shift.",
    ],
)
def test_good_but_bad_is_negative(text):
    assert label(text) == "negative"


# Problems that are over.


@pytest.mark.parametrize(
    "text",
    [
        "Le badge fonctionne enfin au poste.",
        "Plus de fax depuis lundi!",
        "No more paper requisitions since Monday.",
        "The printer issue was finally fixed.",
    ],
)
def test_resolved_problem_cues(reader, text):
    assert features(reader, text).get("q:resolved", 0) > 0


def test_no_longer_is_a_cue(reader):
    assert features(reader, "On n'imprime plus les listes de travail.").get("q:no_longer", 0) > 0


@pytest.mark.parametrize(
    "text",
    [
        "On n'imprime plus les listes de travail, tout est à l'écran.",
        "The fax machine in our unit finally went to storage.",
        "Plus besoin de retranscrire les signes vitaux depuis la mise à jour.",
    ],
)
def test_a_problem_that_is_over_is_positive(text):
    assert label(text) == "positive"


# Sarcasm.


@pytest.mark.parametrize(
    "text",
    [
        "Super, une autre fenêtre d'alerte, juste ce qu'il me fallait.",
        "Great, another password reset. Just what I needed today.",
        "Génial, encore une mise à jour en plein quart.",
    ],
)
def test_sarcasm(reader, text):
    assert features(reader, text).get("q:sarcasm", 0) > 0
    assert label(text) == "negative"


def test_plain_praise_is_not_sarcasm(reader):
    found = features(reader, "Super formation, merci à l'équipe!")
    assert found.get("q:sarcasm", 0) == 0
    assert label("Super formation, merci à l'équipe!") == "positive"


# Length and kind.


@pytest.mark.parametrize(
    ("length", "bucket"), [(3, "xs"), (30, "s"), (100, "m"), (150, "l"), (300, "xl"), (900, "xxl")]
)
def test_length_buckets(length, bucket):
    assert length_bucket("a" * length) == bucket


def test_kind_is_a_feature(reader):
    assert features(reader, "Unité 4 : imprimante à étiquettes en panne.", "observation")[
        "q:kind:observation"
    ] == 1.0
    assert features(reader, "Imprimante en panne.")["q:kind:unknown"] == 1.0
    assert features(reader, "Imprimante en panne.", "email")["q:kind:unknown"] == 1.0
    changed = with_kind(Features({"q:kind:survey": 1.0, "w:a": 1.0}, ("ab",)), "observation")
    assert changed.named == {"w:a": 1.0, "q:kind:observation": 1.0}
    assert changed.words == ("ab",)
    assert "c: ab " in changed and changed.as_dict()["c: ab"] == 1.0


def test_a_calm_observation_with_an_action_taken_is_neutral():
    text = (
        "3e Sud, 14 h : l'imprimante d'étiquettes du poste 2 n'imprime pas les codes-barres. "
        "Billet ouvert au centre de commandement, suivi demain."
    )
    assert label(text, "observation") == "neutral"


def test_analyse_accepts_kind_and_ignores_an_unknown_one():
    text = "Le système est lent ce matin."
    assert analyse(text, "survey").language == "fr"
    assert analyse(text, "nonsense") == analyse(text)
    assert Analyser().analyse(text, kind="observation").redacted == text


# Explanations for the managers' correction page.


def test_explain_gives_the_phrases_that_weighed_for_a_theme():
    analyser = Analyser()
    phrases = analyser.explain("Mon mot de passe a expiré en plein quart de nuit.", "access")
    assert phrases and all(isinstance(p, str) and isinstance(w, float) for p, w in phrases)
    assert any("mot de passe" in phrase for phrase, weight in phrases[:2] if weight > 0)
    weights = [abs(weight) for _, weight in phrases]
    assert weights == sorted(weights, reverse=True)


def test_explain_keeps_accents_and_redaction():
    analyser = Analyser()
    phrases = analyser.explain("Mme Tremblay attend, la formation était trop courte.", "training")
    assert any(phrase == "formation" for phrase, _ in phrases)
    assert not any("tremblay" in phrase.lower() for phrase, _ in phrases)


def test_explain_an_admin_keyword():
    analyser = Analyser(extra_terms={"safety": ["code bleu"]})
    phrases = analyser.explain("Code bleu au 3e cet après-midi.", "safety")
    assert phrases[0][0] == "Code bleu" and phrases[0][1] >= 1.0


def test_explain_an_unknown_theme_or_an_empty_text():
    analyser = Analyser()
    assert analyser.explain("Le système plante.", "parking") == []
    assert analyser.explain("   ", "access") == []


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("Les imprimantes sont vraiment très lentes.", "Les imprimantes sont lentes."),
        ("The login is really very slow.", "The login is slow."),
        ("La formation était tellement utile.", "La formation était utile."),
    ],
)
def test_an_intensifier_is_no_word_of_its_own_and_leaves_the_pairs_around_it(reader, text, plain):
    intensified, bare = reader.read(text).features, reader.read(plain).features

    assert intensified.named["q:intensifier"] > 0
    words = {name for name in intensified.named if name[:2] in ("w:", "b:")}
    assert words == {name for name in bare.named if name[:2] in ("w:", "b:")}


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("Les imprimantes sont vraiment très lentes.", "Les imprimantes sont lentes."),
        ("Le système est vraiment très lent.", "Le système est lent."),
        ("The support line was really very helpful.", "The support line was helpful."),
    ],
)
def test_an_intensifier_never_turns_the_attitude_around(text, plain):
    intensified, bare = analyse(text).sentiment, analyse(plain).sentiment

    assert intensified.label == bare.label != "neutral"
    # On the same side, and the intensified reading clearly so and at least as strong: an
    # intensifier strengthens what it qualifies, never weakens or turns it.
    assert intensified.polarity * bare.polarity > 0
    assert abs(intensified.polarity) >= max(0.2, abs(bare.polarity))
