"""Demo feedback texts that read like the first month of a DSN (Epic) go-live.

Pure Python: no Flask, no database. The pieces live in ``data/demo_corpus.json``;
this module only loads them (once, lazily) and assembles texts:

    [opening] + core + [consequence] + [ending]

The core carries the metadata (language, kind, phases, roles, sectors, themes,
sentiment). Optional pieces are only used when they fit the core (same language,
kind and sentiment, compatible role, sector and themes) and may add a theme.
Inside a piece, ``[a|b]`` picks one option, ``{g:masc|fem}`` follows the writer's
gender, and ``{loc}``/``{Loc}``, ``{time}``, ``{room}``, ``{ticket}``,
``{fname_f}``/``{fname_m}`` are filled per text (never with patient data).
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_PATH = Path(__file__).resolve().parent / "data" / "demo_corpus.json"

LANGUAGES = ("fr", "en")
KINDS = ("survey", "observation")
SURVEY_ROLES = ("physician", "nurse", "professional", "clerk", "manager")
OBSERVATION_ROLE = "super_user"
PHASES = (1, 2, 3)
THEMES = ("access", "training", "workflow", "configuration", "support", "safety", "engagement")
SENTIMENTS = ("negative", "neutral", "positive")
SECTOR_CODES = (
    "urgence",
    "soins-critiques",
    "oncologie",
    "chirurgie",
    "medecine",
    "cliniques-externes",
    "soutien-domicile",
    "sante-mentale",
    "hebergement",
    "perinatalite",
    "laboratoire",
    "pharmacie",
)
MAX_THEMES = 3


@dataclass(frozen=True)
class DemoText:
    text: str
    language: str  # 'fr' | 'en'
    kind: str  # 'survey' | 'observation'
    role: str  # SURVEY_ROLES for surveys, 'super_user' for observations
    sector: str  # one of SECTOR_CODES
    phase: int  # 1, 2 or 3
    themes: tuple[str, ...]
    sentiment: str  # 'negative' | 'neutral' | 'positive'


_ALTERNATIVE = re.compile(r"\[([^\[\]]*)\]")
_GENDERED = re.compile(r"\{g:([^{}|]*)\|([^{}]*)\}")
_SLOT = re.compile(r"\{([A-Za-z_]+)\}")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
_SPACES = re.compile(r"\s{2,}")


@dataclass(frozen=True)
class _Core:
    template: str
    language: str
    kind: str
    phases: tuple[int, ...]
    sentiment: str
    themes: tuple[str, ...]
    roles: tuple[str, ...]
    sectors: tuple[str, ...]  # empty: any sector plausible for the role
    weight: float
    slots: frozenset[str]
    sentences: int


@dataclass(frozen=True)
class _Piece:
    template: str
    language: str
    kinds: tuple[str, ...]
    sentiments: tuple[str, ...]
    phases: tuple[int, ...]
    roles: tuple[str, ...]  # empty: any role
    sectors: tuple[str, ...]  # empty: any sector
    after: tuple[str, ...]  # empty: any core; else the core must have one of these themes
    adds: tuple[str, ...]
    skip_if: tuple[str, ...]
    slots: frozenset[str]
    sentences: int

    def fits(
        self, core: _Core, role: str, sector: str, phase: int, themes: tuple[str, ...]
    ) -> bool:
        if (
            self.language != core.language
            or core.kind not in self.kinds
            or core.sentiment not in self.sentiments
        ):
            return False
        if phase not in self.phases or (self.roles and role not in self.roles):
            return False
        if (self.sectors and sector not in self.sectors) or (
            self.after and not set(self.after) & set(themes)
        ):
            return False
        if len(set(themes) | set(self.adds)) > MAX_THEMES or self.slots & core.slots:
            return False
        if not core.themes and (self.adds or self.after):
            return False
        lowered = core.template.lower()
        return not any(word in lowered for word in self.skip_if)


def _slots_of(template: str) -> frozenset[str]:
    return frozenset(name.lower() for name in _SLOT.findall(template))


def _sentences(template: str) -> int:
    return max(
        1,
        len(_SENTENCE_END.findall(_ALTERNATIVE.sub(lambda m: m.group(1).split("|")[0], template))),
    )


class _Corpus:
    def __init__(self, data: dict):
        weights = data["weights"]
        self.language_weights = _pairs(weights["language"])
        self.kind_weights = _pairs(weights["kind"])
        self.phase_weights = [(int(k), float(v)) for k, v in weights["phase"].items()]
        self.sentiment_weights = {int(k): _pairs(v) for k, v in weights["sentiment"].items()}
        self.role_weights = {k: float(v) for k, v in weights["role"].items()}
        self.probabilities = data["probabilities"]
        self.role_sets = {k: tuple(v) for k, v in data["role_sets"].items()}
        self.sector_sets = {k: tuple(v) for k, v in data["sector_sets"].items()}
        self.role_sectors = {
            role: _pairs(sectors) for role, sectors in data["role_sectors"].items()
        }
        self.slots = data["slots"]
        # A core that already names a place ("Au CHSLD, ...") gets no opening naming another one.
        self.place_markers = tuple(
            sorted(
                {
                    place.lower()
                    for places in self.slots["loc"].values()
                    for sector_places in places.values()
                    for place in sector_places
                }
                | {marker.lower() for marker in self.slots.get("place_markers", [])}
            )
        )

        self.cores: dict[tuple, list[_Core]] = {}
        for core in self._cores(data["cores"]):
            for phase in core.phases:
                self.cores.setdefault((core.language, core.kind, phase, core.sentiment), []).append(
                    core
                )
                self.cores.setdefault((core.language, core.kind, phase), []).append(core)
        self.off_topic: dict[tuple, list[_Core]] = {}
        for core in self._cores(data["off_topic"]):
            self.off_topic.setdefault((core.language, core.kind), []).append(core)
        self.openings = self._pieces(data["openings"])
        self.consequences = self._pieces(data["consequences"])
        self.endings = self._pieces(data["endings"])
        self.size = {
            "cores": sum(len(g["texts"]) for g in data["cores"]),
            "off_topic": sum(len(g["texts"]) for g in data["off_topic"]),
            "openings": len(self.openings),
            "consequences": len(self.consequences),
            "endings": len(self.endings),
        }

    def _roles(self, names) -> tuple[str, ...]:
        out: list[str] = []
        for name in names:
            for role in self.role_sets.get(name, (name,)):
                if role not in out:
                    out.append(role)
        return tuple(out)

    def _sectors(self, names) -> tuple[str, ...]:
        out: list[str] = []
        for name in names:
            if name == "*":
                return ()
            for sector in self.sector_sets.get(name, (name,)):
                if sector not in SECTOR_CODES:
                    raise ValueError(f"demo corpus: unknown sector {sector!r}")
                if sector not in out:
                    out.append(sector)
        return tuple(out)

    def _cores(self, groups) -> list[_Core]:
        cores = []
        for group in groups:
            kind = group["kind"]
            roles = self._roles(group.get("roles") or ["all"])
            allowed = (OBSERVATION_ROLE,) if kind == "observation" else SURVEY_ROLES
            themes = tuple(group["themes"])
            if (
                group["lang"] not in LANGUAGES
                or kind not in KINDS
                or group["sentiment"] not in SENTIMENTS
                or not set(roles) <= set(allowed)
                or not set(themes) <= set(THEMES)
                or len(themes) > MAX_THEMES
                or not set(group["phases"]) <= set(PHASES)
            ):
                raise ValueError(f"demo corpus: invalid group {group!r:.200}")
            for template in group["texts"]:
                cores.append(
                    _Core(
                        template,
                        group["lang"],
                        kind,
                        tuple(group["phases"]),
                        group["sentiment"],
                        themes,
                        roles,
                        self._sectors(group.get("sectors") or ["*"]),
                        float(group.get("weight", 1)),
                        self._core_slots(template),
                        _sentences(template),
                    )
                )
        return cores

    def _core_slots(self, template: str) -> frozenset[str]:
        slots = _slots_of(template)
        lowered = template.lower()
        if any(marker in lowered for marker in self.place_markers):
            slots |= {"loc"}
        return slots

    def _pieces(self, groups) -> list[_Piece]:
        pieces = []
        for group in groups:
            for template in group["texts"]:
                pieces.append(
                    _Piece(
                        template,
                        group["lang"],
                        tuple(group["kinds"]),
                        tuple(group["sentiments"]),
                        tuple(group.get("phases", PHASES)),
                        self._roles(group.get("roles", [])),
                        self._sectors(group.get("sectors", ["*"])),
                        tuple(group.get("after", [])),
                        tuple(group.get("adds", [])),
                        tuple(w.lower() for w in group.get("skip_if", [])),
                        _slots_of(template),
                        _sentences(template),
                    )
                )
        return pieces


def _pairs(mapping: dict) -> list[tuple[str, float]]:
    return [(key, float(value)) for key, value in mapping.items()]


def _pick(rng: random.Random, pairs):
    """Weighted choice over (item, weight) pairs, consuming exactly one random number."""
    total = sum(weight for _, weight in pairs)
    point = rng.random() * total
    for item, weight in pairs:
        point -= weight
        if point < 0:
            return item
    return pairs[-1][0]


@lru_cache(maxsize=1)
def _corpus() -> _Corpus:
    with DATA_PATH.open(encoding="utf-8") as handle:
        return _Corpus(json.load(handle))


def corpus_size() -> dict[str, int]:
    """How many pieces the JSON holds, by kind of piece."""
    return dict(_corpus().size)


def compose(rng: random.Random, count: int, *, phase: int | None = None) -> list[DemoText]:
    """Return `count` varied, natural texts; deterministic for a given rng state."""
    if count < 0:
        raise ValueError("count must be >= 0")
    if phase is not None and phase not in PHASES:
        raise ValueError(f"phase must be one of {PHASES} or None")
    corpus = _corpus()
    return [_compose_one(rng, corpus, phase) for _ in range(count)]


def _compose_one(rng: random.Random, corpus: _Corpus, phase: int | None) -> DemoText:
    phase = phase if phase is not None else _pick(rng, corpus.phase_weights)
    language = _pick(rng, corpus.language_weights)
    kind = _pick(rng, corpus.kind_weights)
    if rng.random() < corpus.probabilities["off_topic"][kind]:
        pool = corpus.off_topic.get((language, kind)) or corpus.off_topic[(language, "survey")]
    else:
        sentiment = _pick(rng, corpus.sentiment_weights[phase])
        pool = (
            corpus.cores.get((language, kind, phase, sentiment))
            or corpus.cores[(language, kind, phase)]
        )
    core = _pick(rng, [(c, c.weight) for c in pool])
    role = _choose_role(rng, corpus, core)
    sector = _choose_sector(rng, corpus, core, role)

    themes = core.themes
    budget = int(corpus.probabilities["max_sentences"]) - core.sentences
    chosen: dict[str, _Piece] = {}
    p_opening = corpus.probabilities["opening"][core.kind]
    for slot, pieces, probability in (
        ("opening", corpus.openings, p_opening),
        ("consequence", corpus.consequences, corpus.probabilities["consequence"]),
        ("ending", corpus.endings, corpus.probabilities["ending"]),
    ):
        if rng.random() >= probability:
            continue
        # Off-topic texts (parking, weather) stay plain: at most an opening, never a theme.
        if not core.themes and (slot != "opening" or core.sentiment == "neutral"):
            continue
        used = frozenset().union(*(p.slots for p in chosen.values()))
        fitting = [
            p
            for p in pieces
            if p.sentences <= budget
            and not p.slots & used
            and p.fits(core, role, sector, phase, themes)
        ]
        if not fitting:
            continue
        piece = rng.choice(fitting)
        chosen[slot] = piece
        budget -= piece.sentences
        themes = themes + tuple(t for t in piece.adds if t not in themes)

    render = _Renderer(rng, corpus, language, sector, rng.random() < 0.5)
    parts = [chosen["opening"].template] if "opening" in chosen else []
    parts.append(core.template)
    parts += [chosen[slot].template for slot in ("consequence", "ending") if slot in chosen]
    text = " ".join(render(part) for part in parts).replace(".m..", ".m.")
    if (
        language == "fr"
        and core.kind == "survey"
        and rng.random() < corpus.probabilities["strip_accents_fr_survey"]
    ):
        text = _strip_accents(text)
    ordered = tuple(t for t in THEMES if t in themes)
    return DemoText(text, language, core.kind, role, sector, phase, ordered, core.sentiment)


def _choose_role(rng: random.Random, corpus: _Corpus, core: _Core) -> str:
    if core.kind == "observation":
        return OBSERVATION_ROLE
    pairs = []
    for role in core.roles:
        weight = corpus.role_weights.get(role, 1.0)
        if core.sectors and not any(
            w > 0 for s, w in corpus.role_sectors[role] if s in core.sectors
        ):
            weight *= 0.1
        pairs.append((role, weight))
    return _pick(rng, pairs)


def _choose_sector(rng: random.Random, corpus: _Corpus, core: _Core, role: str) -> str:
    usual = dict(corpus.role_sectors[role])
    if core.sectors:
        return _pick(rng, [(s, usual.get(s, 0.0) + 1.0) for s in core.sectors])
    return _pick(rng, corpus.role_sectors[role])


class _Renderer:
    """Fills one text's templates; slot values are drawn once per text so they stay consistent."""

    def __init__(
        self, rng: random.Random, corpus: _Corpus, language: str, sector: str, feminine: bool
    ):
        self.rng, self.corpus, self.language, self.sector = rng, corpus, language, sector
        self.feminine = feminine
        self.values: dict[str, str] = {}

    def __call__(self, template: str) -> str:
        text = _ALTERNATIVE.sub(lambda m: self.rng.choice(m.group(1).split("|")), template)
        text = _GENDERED.sub(lambda m: m.group(2) if self.feminine else m.group(1), text)
        return _SPACES.sub(" ", _SLOT.sub(self._slot, text)).strip()

    def _slot(self, match: re.Match) -> str:
        name = match.group(1)
        key = name.lower()
        if key not in self.values:
            self.values[key] = self._draw(key)
        value = self.values[key]
        return value[:1].upper() + value[1:] if name[:1].isupper() else value

    def _draw(self, key: str) -> str:
        rng = self.rng
        if key == "loc":
            return rng.choice(self.corpus.slots["loc"][self.language][self.sector])
        if key in ("fname_f", "fname_m"):
            return rng.choice(self.corpus.slots[key])
        if key == "room":
            return f"{rng.randint(2, 7)}{rng.randint(0, 3)}{rng.randint(1, 9)}"
        if key == "ticket":
            return f"INC00{rng.randint(40000, 69999)}"
        if key == "time":
            slots = self.corpus.slots
            hours = slots["day_hours"] if self.sector in slots["day_sectors"] else slots["hours"]
            hour, minute = rng.choice(hours), rng.choice((0, 5, 10, 15, 20, 30, 40, 45, 50))
            if self.language == "fr":
                return f"{hour} h" + (f" {minute:02d}" if minute else "")
            suffix = "a.m." if hour < 12 else "p.m."
            return f"{hour % 12 or 12}:{minute:02d} {suffix}"
        raise KeyError(f"demo corpus: unknown slot {{{key}}}")


def _strip_accents(text: str) -> str:
    """Typed in a hurry: drop the accents (é -> e, à -> a, ç -> c) but keep everything else."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    )
