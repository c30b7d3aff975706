"""The demo corpus: deterministic, varied, plausible, free of patient identifiers. No Flask."""

import random
import re
from collections import Counter

import pytest

from feedback.demo.corpus import SECTOR_CODES, DemoText, compose, corpus_size

THEMES = {"access", "training", "workflow", "configuration", "support", "safety", "engagement"}
SURVEY_ROLES = {"physician", "nurse", "professional", "clerk", "manager"}
SAMPLE_SIZE = 3000


@pytest.fixture(scope="module")
def sample() -> list[DemoText]:
    return compose(random.Random(2026), SAMPLE_SIZE)


def share(items, predicate) -> float:
    items = list(items)
    return sum(1 for item in items if predicate(item)) / len(items)


def sentences(text: str) -> int:
    return len(re.findall(r"[.!?](?=\s|$)", text.replace("a.m.", "am").replace("p.m.", "pm")))


# ---------------------------------------------------------------- contract


def test_same_seed_same_texts_other_seed_other_texts():
    first = compose(random.Random(42), 300)
    assert first == compose(random.Random(42), 300)
    assert first != compose(random.Random(43), 300)


def test_rng_state_is_what_matters():
    rng = random.Random(7)
    rng.random()
    again = random.Random(7)
    again.random()
    assert compose(rng, 50, phase=2) == compose(again, 50, phase=2)


@pytest.mark.parametrize("count", [0, 1, 7, 250])
def test_count_is_respected(count):
    assert len(compose(random.Random(count), count)) == count


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError):
        compose(random.Random(1), -1)
    with pytest.raises(ValueError):
        compose(random.Random(1), 5, phase=4)


@pytest.mark.parametrize("phase", [1, 2, 3])
def test_phase_filter_is_respected(phase):
    texts = compose(random.Random(phase), 400, phase=phase)
    assert {t.phase for t in texts} == {phase}


def test_every_field_is_valid(sample):
    for t in sample:
        assert isinstance(t, DemoText)
        assert t.text and t.text == t.text.strip()
        assert t.language in {"fr", "en"}
        assert t.kind in {"survey", "observation"}
        if t.kind == "survey":
            assert t.role in SURVEY_ROLES, t
        else:
            assert t.role == "super_user", t
        assert t.sector in SECTOR_CODES, t
        assert t.phase in {1, 2, 3}
        assert isinstance(t.themes, tuple) and set(t.themes) <= THEMES and len(t.themes) <= 3
        assert len(set(t.themes)) == len(t.themes)
        assert t.sentiment in {"negative", "neutral", "positive"}


def test_corpus_holds_several_hundred_pieces():
    size = corpus_size()
    assert size["cores"] >= 500
    assert sum(size.values()) >= 700


# ---------------------------------------------------------------- variety and form


def test_texts_rarely_repeat(sample):
    assert len({t.text for t in sample}) / SAMPLE_SIZE >= 0.90


def test_no_template_syntax_left_and_clean_spacing(sample):
    for t in sample:
        assert not re.search(r"[\[\]{}|]", t.text), t.text
        assert "  " not in t.text and " ." not in t.text and " ," not in t.text, t.text
        assert ".." not in t.text, t.text
        assert t.text[-1] in ".!?»)", t.text
        assert t.text[0].isupper() or t.text[0].isdigit(), t.text


def test_lengths_range_from_one_line_to_a_few_sentences(sample):
    counts = [sentences(t.text) for t in sample]
    assert share(sample, lambda t: len(t.text) <= 70) > 0.05
    assert share(counts, lambda n: n >= 3) > 0.15
    assert max(counts) <= 5


def test_french_elision(sample):
    bad = re.compile(
        r"\b(de|que|je|ne|le|la|se|me|te|ce|si il)\s+[aeiouyéèêàâîôûAEIOUÉÈÀ]", re.IGNORECASE
    )
    for t in sample:
        if t.language == "fr":
            assert not bad.search(t.text), t.text


def test_languages_are_not_mixed_up(sample):
    for t in sample:
        if t.language == "fr":
            assert not re.search(r"\b(the|and|with|is)\b", t.text), t.text
        else:
            assert not re.search(r"\b(les|est|avec|pour|une)\b", t.text), t.text


def test_quebec_register(sample):
    french = [t.text for t in sample if t.language == "fr" and t.kind == "survey"]
    assert share(french, lambda s: not re.search(r"[éèêàçùâîô]", s)) > 0.03  # typed without accents
    assert share(french, lambda s: re.search(r"\bpis\b|marche pas|y a\b", s)) > 0.02
    assert (
        share(french, lambda s: re.search(r"login|tap-in|printer|overtime|flowsheet|order set", s))
        > 0.03
    )


# ---------------------------------------------------------------- distribution


def test_language_kind_and_phase_mix(sample):
    assert 0.74 <= share(sample, lambda t: t.language == "fr") <= 0.86
    assert 0.64 <= share(sample, lambda t: t.kind == "survey") <= 0.76
    phases = Counter(t.phase for t in sample)
    assert 0.35 <= phases[1] / SAMPLE_SIZE <= 0.45
    assert 0.30 <= phases[2] / SAMPLE_SIZE <= 0.40
    assert 0.20 <= phases[3] / SAMPLE_SIZE <= 0.30


def test_sentiment_improves_over_the_phases(sample):
    by_phase = {p: [t for t in sample if t.phase == p] for p in (1, 2, 3)}
    negative = {p: share(ts, lambda t: t.sentiment == "negative") for p, ts in by_phase.items()}
    positive = {p: share(ts, lambda t: t.sentiment == "positive") for p, ts in by_phase.items()}
    assert 0.50 <= negative[1] <= 0.70
    assert 0.30 <= negative[3] <= 0.50
    assert negative[1] > negative[2] > negative[3]
    assert positive[3] > positive[1] + 0.1
    for ts in by_phase.values():
        assert share(ts, lambda t: t.sentiment == "neutral") > 0.1


def test_themes_follow_the_phase(sample):
    def top(phase, n=2):
        counts = Counter(theme for t in sample if t.phase == phase for theme in t.themes)
        return {theme for theme, _ in counts.most_common(n)}

    assert top(1) == {"access", "support"}
    assert top(2) == {"training", "configuration"}
    assert top(3) == {"workflow", "engagement"}
    for phase in (1, 2, 3):
        assert share([t for t in sample if t.phase == phase], lambda t: "safety" in t.themes) > 0.03


def test_safety_weighs_more_in_critical_sectors(sample):
    critical = [t for t in sample if t.sector in {"urgence", "oncologie", "soins-critiques"}]
    others = [t for t in sample if t.sector not in {"urgence", "oncologie", "soins-critiques"}]
    assert share(critical, lambda t: "safety" in t.themes) > 1.5 * share(
        others, lambda t: "safety" in t.themes
    )


def test_some_texts_have_no_theme(sample):
    assert 0.015 <= share(sample, lambda t: not t.themes) <= 0.05


def test_every_role_speaks(sample):
    roles = Counter(t.role for t in sample if t.kind == "survey")
    assert set(roles) == SURVEY_ROLES
    assert roles["nurse"] == max(roles.values())
    assert all(count / SAMPLE_SIZE > 0.05 for count in roles.values())


def test_sectors_are_plausible(sample):
    assert set(t.sector for t in sample) == set(SECTOR_CODES)
    for t in sample:
        if re.search(r"chimio|chemo", t.text, re.IGNORECASE):
            assert t.sector == "oncologie", t
        if re.search(r"\btriage\b", t.text, re.IGNORECASE):
            assert t.sector == "urgence", t
        if re.search(r"\bSAD\b|home care|soutien à domicile|chez l'usager", t.text):
            assert t.sector == "soutien-domicile", t
        if (
            re.search(r"\b(résidents|CHSLD)\b", t.text)
            and t.role == "nurse"
            and "transfert" not in t.text
        ):
            assert t.sector == "hebergement", t
        if re.search(r"bloc obstétrical|néonat|partogramme", t.text):
            assert t.sector == "perinatalite", t


def test_roles_get_their_own_concerns(sample):
    def texts(role):
        return " ".join(t.text for t in sample if t.role == role)

    assert re.search(
        r"SmartPhrase|In Basket|order set|ordonnance|personnalisation|personalization",
        texts("physician"),
    )
    assert re.search(r"inscription|rendez-vous|registration|appointment", texts("clerk"))
    assert re.search(r"FADM|MAR|flowsheet|relève|handoff", texts("nurse"))
    assert re.search(r"pharmacien|inhalothérapeute|travailleu|pharmacist", texts("professional"))
    assert re.search(r"heures supplémentaires|overtime|horaires|équipe|team", texts("manager"))


# ---------------------------------------------------------------- no patient identifiers

PHI_PATTERNS = {
    "RAMQ": re.compile(r"\b[A-Z]{4}\s?\d{4}\s?\d{4}\b"),
    "phone": re.compile(r"\(?\b\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b"),
    "ten digits": re.compile(r"\d{10}"),
    "e-mail": re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),
    "title + name": re.compile(
        r"\b(?:Mme|M\.|Mr\.?|Mrs\.?|Ms\.?|Madame|Monsieur)\s+[A-ZÉÈ][a-zéèêë]+"
    ),
    "chart number": re.compile(
        r"\b(?:dossier|MRN|chart)\s*(?:no\.?|n°|#)?\s*\d{5,}", re.IGNORECASE
    ),
    "birth date": re.compile(r"\b(?:né|née|DDN|DOB|born)\b.{0,12}\d{4}", re.IGNORECASE),
}


def test_no_patient_identifiers(sample):
    for t in sample:
        for name, pattern in PHI_PATTERNS.items():
            assert not pattern.search(t.text), (name, t.text)


def test_phi_patterns_do_catch_identifiers():
    assert PHI_PATTERNS["RAMQ"].search("carte TREM 5203 1512")
    assert PHI_PATTERNS["phone"].search("rappeler au (819) 555-0199")
    assert PHI_PATTERNS["e-mail"].search("écrire à quelqu'un@exemple.ca")
    assert PHI_PATTERNS["title + name"].search("Mme Gagnon en 412")
    assert not PHI_PATTERNS["ten digits"].search("billet INC0051234")
